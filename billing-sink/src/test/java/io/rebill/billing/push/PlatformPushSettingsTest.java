package io.rebill.billing.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformPushSettingsTest {

    @Test
    void noUrlMeansNoPush() {
        assertThat(PlatformPushSettings.from(Map.of())).isEmpty();
        assertThat(PlatformPushSettings.from(Map.of(PlatformPushSettings.URL, "  ",
                PlatformPushSettings.SECRET, "s"))).isEmpty();
    }

    @Test
    void urlAndSecretWithDefaults() {
        PlatformPushSettings settings = PlatformPushSettings.from(Map.of(
                "rebill.billing.push.url", "https://platform.example/hooks/rebill",
                "rebill.billing.push.secret", "whsec_1")).orElseThrow();

        assertThat(settings.url()).isEqualTo(URI.create("https://platform.example/hooks/rebill"));
        assertThat(settings.secret()).isEqualTo("whsec_1");
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.enabled()).isTrue();
    }

    @Test
    void readsRetryAndTimeoutAsStringsOrNumbers() {
        PlatformPushSettings settings = PlatformPushSettings.from(Map.of(
                PlatformPushSettings.URL, "http://localhost:8080/hooks",
                PlatformPushSettings.SECRET, "whsec_1",
                "rebill.billing.push.retry-initial.ms", "250",
                "rebill.billing.push.retry-max.ms", 5000L,
                "rebill.billing.push.timeout.ms", " 3000 ")).orElseThrow();

        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aUrlNeedsASecret() {
        assertThatThrownBy(() -> PlatformPushSettings.from(Map.of(PlatformPushSettings.URL, "https://p.example/h")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rebill.billing.push.secret")
                .hasMessageContaining("required");
        assertThatThrownBy(() -> PlatformPushSettings.from(Map.of(PlatformPushSettings.URL, "https://p.example/h",
                PlatformPushSettings.SECRET, " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rebill.billing.push.secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://p.example/h", "p.example/hooks", "mailto:ops@p.example", "https://"})
    void theUrlMustBeHttpOrHttpsWithAHost(String url) {
        assertThatThrownBy(() -> PlatformPushSettings.from(Map.of(PlatformPushSettings.URL, url,
                PlatformPushSettings.SECRET, "whsec_1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rebill.billing.push.url");
    }

    @Test
    void durationsMustBePositiveWholeMillis() {
        assertThatThrownBy(() -> PlatformPushSettings.from(Map.of(PlatformPushSettings.URL, "https://p.example/h",
                PlatformPushSettings.SECRET, "s", PlatformPushSettings.TIMEOUT_MS, "10s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rebill.billing.push.timeout.ms")
                .hasMessageContaining("10s");
        assertThatThrownBy(() -> PlatformPushSettings.from(Map.of(PlatformPushSettings.URL, "https://p.example/h",
                PlatformPushSettings.SECRET, "s", PlatformPushSettings.RETRY_INITIAL_MS, "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rebill.billing.push.retry-initial.ms");
        assertThatThrownBy(() -> PlatformPushSettings.from(Map.of(PlatformPushSettings.URL, "https://p.example/h",
                PlatformPushSettings.SECRET, "s", PlatformPushSettings.RETRY_INITIAL_MS, "5000",
                PlatformPushSettings.RETRY_MAX_MS, "1000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rebill.billing.push.retry-max.ms");
    }

    @Test
    void toStringHidesTheSecret() {
        PlatformPushSettings settings = PlatformPushSettings.of(URI.create("https://p.example/h"), "whsec_very_secret");

        assertThat(settings.toString()).doesNotContain("whsec_very_secret").contains("https://p.example/h");
    }
}
