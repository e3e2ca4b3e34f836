package io.rebill.billing.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlatformWebhookClientTest {

    private final ManualClock clock = new ManualClock(Instant.now());
    private final PlatformEvent event = new PlatformEvent("access:sub-1:1:ON_HOLD", PlatformEvent.ACCESS_CHANGED,
            Instant.ofEpochMilli(1), Map.of("subAccountId", "sub-1"));
    private RecordingWebhookReceiver receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void postsTheSignedEventWithItsHeaders() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);

        client(receiver.url(), Duration.ofSeconds(5)).post(event);

        assertThat(receiver.deliveries()).singleElement().satisfies(delivery -> {
            assertThat(delivery.signatureValid()).isTrue();
            assertThat(delivery.body()).isEqualTo(PlatformEventMapper.toJson(event));
            assertThat(delivery.eventId()).isEqualTo("access:sub-1:1:ON_HOLD");
            assertThat(delivery.eventType()).isEqualTo("access.changed");
            assertThat(delivery.contentType()).isEqualTo("application/json");
            assertThat(delivery.userAgent()).isEqualTo("rebill-billing-sink");
            assertThat(delivery.signatureHeader()).startsWith("t=" + clock.instant().getEpochSecond() + ",v1=");
        });
    }

    @Test
    void anythingButTwoHundredsIsAFailureWithItsStatus() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        PlatformWebhookClient client = client(receiver.url(), Duration.ofSeconds(5));
        for (int status : new int[] {302, 400, 409, 500, 503}) {
            receiver.respondWith(delivery -> status);

            assertThatThrownBy(() -> client.post(event))
                    .isInstanceOf(PlatformPushException.class)
                    .hasMessageContaining("HTTP " + status)
                    .satisfies(e -> assertThat(((PlatformPushException) e).statusCode()).isEqualTo(status));
        }
        receiver.respondWith(delivery -> 204);
        client.post(event);
        assertThat(receiver.deliveries()).hasSize(6);
    }

    @Test
    void aRefusedConnectionIsAFailureWithoutStatus() throws Exception {
        URI nobodyListening = RecordingWebhookReceiver.url(freePort());

        assertThatThrownBy(() -> client(nobodyListening, Duration.ofSeconds(5)).post(event))
                .isInstanceOf(PlatformPushException.class)
                .satisfies(e -> assertThat(((PlatformPushException) e).statusCode())
                        .isEqualTo(PlatformPushException.NO_RESPONSE));
    }

    @Test
    void aSlowAnswerTimesOut() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        receiver.holdResponses();

        assertThatThrownBy(() -> client(receiver.url(), Duration.ofMillis(300)).post(event))
                .isInstanceOf(PlatformPushException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    private PlatformWebhookClient client(URI url, Duration timeout) {
        return new PlatformWebhookClient(new PlatformPushSettings(url, RecordingWebhookReceiver.SECRET, null, null,
                timeout), clock);
    }

    /** A loopback port nobody listens on (until a test starts something there). */
    static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
