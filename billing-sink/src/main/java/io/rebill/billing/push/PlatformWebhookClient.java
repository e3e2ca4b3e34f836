package io.rebill.billing.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Posts one {@link PlatformEvent} to the platform's webhook, signed. Only a 2xx answer counts as
 * acknowledged; redirects are not followed. Thread-safe.
 *
 * <p>Headers: {@code Content-Type: application/json}, {@value PlatformWebhookSignature#HEADER},
 * {@value #EVENT_ID_HEADER}, {@value #EVENT_TYPE_HEADER} and {@code User-Agent: }{@value #USER_AGENT}.
 */
public final class PlatformWebhookClient {

    public static final String EVENT_ID_HEADER = "Rebill-Event-Id";
    public static final String EVENT_TYPE_HEADER = "Rebill-Event-Type";
    public static final String USER_AGENT = "rebill-billing-sink";

    private static final int MAX_ERROR_BODY_CHARS = 200;

    private final URI url;
    private final Duration requestTimeout;
    private final PlatformWebhookSignature signature;
    private final Clock clock;
    private final HttpClient http;

    /** A client with its own HttpClient, signing with the system clock. */
    public PlatformWebhookClient(PlatformPushSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** A client with its own HttpClient; {@code clock} dates the signatures. */
    public PlatformWebhookClient(PlatformPushSettings settings, Clock clock) {
        this(settings, clock, HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                // Plain HTTP/1.1: no h2c upgrade dance with receivers behind simple proxies.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    public PlatformWebhookClient(PlatformPushSettings settings, Clock clock, HttpClient http) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("Platform push is disabled (no " + PlatformPushSettings.URL + ")");
        }
        this.url = settings.url();
        this.requestTimeout = settings.requestTimeout();
        this.signature = new PlatformWebhookSignature(settings.secret());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * Sends the event once, signed now.
     *
     * @throws PlatformPushException when the platform did not answer 2xx within the request timeout
     * @throws InterruptedException  when the calling thread is interrupted while waiting
     */
    public void post(PlatformEvent event) throws PlatformPushException, InterruptedException {
        byte[] body = PlatformEventMapper.toJson(event);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header(EVENT_ID_HEADER, event.id())
                .header(EVENT_TYPE_HEADER, event.type())
                .header(PlatformWebhookSignature.HEADER, signature.sign(body, clock.instant()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // Includes HttpTimeoutException and HttpConnectTimeoutException.
            throw new PlatformPushException("Event " + event.id() + " not delivered to " + url + ": " + e,
                    PlatformPushException.NO_RESPONSE, e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new PlatformPushException("Event " + event.id() + " refused by " + url + ": HTTP " + status
                    + abbreviate(response.body()), status, null);
        }
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String trimmed = body.strip();
        return " " + (trimmed.length() <= MAX_ERROR_BODY_CHARS ? trimmed
                : trimmed.substring(0, MAX_ERROR_BODY_CHARS) + "...");
    }
}
