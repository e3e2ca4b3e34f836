package io.rebill.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.billing.push.PlatformPushSettings;
import io.rebill.billing.stripe.StripeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BillingSinkAppTest {

    @TempDir
    Path dir;

    @Test
    void shouldFillGroupIdAndLocalDefaultsWhenNothingIsOverridden() throws IOException {
        Properties config = BillingSinkApp.config(new String[0], Map.of());

        assertThat(config)
                .containsEntry("application.id", BillingSinkApp.APPLICATION_ID)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, BillingSinkApp.APPLICATION_ID)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void shouldLetEnvironmentVariablesOverrideTheFileWhenBuildingMainsConfig() throws IOException {
        Path file = dir.resolve("billing.properties");
        Files.writeString(file, """
                bootstrap.servers=from-file:9092
                rebill.billing.http.port=18091
                rebill.billing.stripe.api-key=sk_test_from_file
                rebill.billing.undetermined-retry.ms=45000
                """);
        Map<String, String> env = Map.of(
                "REBILL_CONFIG_BOOTSTRAP_SERVERS", "kafka:9092",
                "REBILL_CONFIG_REBILL_BILLING_HTTP_PORT", "8091",
                "REBILL_CONFIG_REBILL_BILLING_STRIPE_API__KEY", "sk_test_from_env",
                "REBILL_CONFIG_REBILL_BILLING_PUSH_URL", "https://platform.example/hooks/rebill",
                "REBILL_CONFIG_REBILL_BILLING_PUSH_SECRET", "push-secret");

        Properties config = BillingSinkApp.config(new String[] {file.toString()}, env);
        Map<String, Object> settings = io.rebill.config.ServiceConfig.asMap(config);

        assertThat(config).containsEntry("bootstrap.servers", "kafka:9092");
        BillingConfig billing = BillingConfig.from(settings);
        assertThat(billing.httpPort()).isEqualTo(8091);
        assertThat(billing.undeterminedRetry()).isEqualTo(Duration.ofSeconds(45));
        assertThat(StripeSettings.from(settings)).get()
                .extracting(StripeSettings::apiKey).isEqualTo("sk_test_from_env");
        assertThat(PlatformPushSettings.from(settings)).get()
                .extracting(s -> s.url().toString()).isEqualTo("https://platform.example/hooks/rebill");
    }
}
