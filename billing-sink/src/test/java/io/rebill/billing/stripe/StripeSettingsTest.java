package io.rebill.billing.stripe;

import io.rebill.billing.retry.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripeSettingsTest {

    @Test
    void noApiKeyMeansNoStripe() {
        assertThat(StripeSettings.from(Map.of())).isEmpty();
        assertThat(StripeSettings.from(Map.of(StripeSettings.API_KEY, "  "))).isEmpty();
        assertThat(StripeSettings.from(Map.of(StripeSettings.WEBHOOK_SECRET, "whsec_x"))).isEmpty();
    }

    @Test
    void usesDefaultsForWhatIsNotConfigured() {
        StripeSettings settings = StripeSettings.from(Map.of(StripeSettings.API_KEY, "sk_test_abc")).orElseThrow();

        assertThat(settings.apiKey()).isEqualTo("sk_test_abc");
        assertThat(settings.apiBase()).isEqualTo("https://api.stripe.com");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.retries()).isEqualTo(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 5));
        assertThat(settings.webhookSecret()).isNull();
        assertThat(settings).isEqualTo(StripeSettings.withDefaults("sk_test_abc"));
    }

    @Test
    void readsEveryKeyAsStringOrNumber() {
        Map<String, Object> config = new HashMap<>();
        config.put(StripeSettings.API_KEY, " sk_live_secret ");
        config.put(StripeSettings.API_BASE, "http://localhost:12111/");
        config.put(StripeSettings.CONNECT_TIMEOUT_MS, "2500");
        config.put(StripeSettings.READ_TIMEOUT_MS, 12_000);
        config.put(StripeSettings.MAX_ATTEMPTS, "3");
        config.put(StripeSettings.RETRY_INITIAL_MS, 200L);
        config.put(StripeSettings.RETRY_MAX_MS, "4000");
        config.put(StripeSettings.WEBHOOK_SECRET, "whsec_abc");

        StripeSettings settings = StripeSettings.from(config).orElseThrow();

        assertThat(settings.apiKey()).isEqualTo("sk_live_secret");
        assertThat(settings.apiBase()).isEqualTo("http://localhost:12111");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(settings.retries()).isEqualTo(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(4), 3));
        assertThat(settings.webhookSecret()).isEqualTo("whsec_abc");
    }

    @Test
    void blankWebhookSecretCountsAsNone() {
        StripeSettings settings = StripeSettings.from(Map.of(
                StripeSettings.API_KEY, "sk_test_abc", StripeSettings.WEBHOOK_SECRET, " ")).orElseThrow();
        assertThat(settings.webhookSecret()).isNull();
    }

    @Test
    void namesTheKeyOfAnInvalidValue() {
        assertThatThrownBy(() -> StripeSettings.from(Map.of(
                StripeSettings.API_KEY, "sk_test_abc", StripeSettings.READ_TIMEOUT_MS, "30s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StripeSettings.READ_TIMEOUT_MS);
        assertThatThrownBy(() -> StripeSettings.from(Map.of(
                StripeSettings.API_KEY, "sk_test_abc", StripeSettings.MAX_ATTEMPTS, "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StripeSettings.MAX_ATTEMPTS);
        assertThatThrownBy(() -> StripeSettings.from(Map.of(
                StripeSettings.API_KEY, "sk_test_abc", StripeSettings.RETRY_INITIAL_MS, "-5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StripeSettings.RETRY_INITIAL_MS);
        assertThatThrownBy(() -> StripeSettings.from(Map.of(
                StripeSettings.API_KEY, "sk_test_abc", StripeSettings.CONNECT_TIMEOUT_MS, "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectTimeout");
    }

    @Test
    void neverPrintsSecrets() {
        StripeSettings settings = StripeSettings.withDefaults("sk_live_51SuperSecretKey")
                .withWebhookSecret("whsec_TopSecret");

        assertThat(settings.toString())
                .doesNotContain("SuperSecretKey")
                .doesNotContain("TopSecret")
                .contains("sk_live_***")
                .contains("api.stripe.com");
        assertThat(StripeSettings.withDefaults("weird-key").toString()).doesNotContain("weird-key");
    }

    @Test
    void refusesABlankKey() {
        assertThatThrownBy(() -> StripeSettings.withDefaults(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
