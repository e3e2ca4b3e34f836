package io.rebill.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.MockSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletAppTest {

    @TempDir
    Path dir;

    @Test
    void shouldFillLocalDefaultsAndStreamsDefaultsWhenNothingIsOverridden() {
        Properties config = WalletApp.config(new Properties());

        assertThat(config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo(WalletApp.APPLICATION_ID);
        assertThat(config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("127.0.0.1:9092");
        assertThat(config.getProperty("schema.registry.url"))
                .isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG))
                .isEqualTo("wallet.dead-letter");
        assertThat(config.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)).isEqualTo(true);
    }

    @Test
    void shouldKeepOverridesWhenTheyAreGiven() {
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "broker-1:9092");
        overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, "rebill-wallet-replay");

        Properties config = WalletApp.config(overrides);

        assertThat(config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker-1:9092");
        assertThat(config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("rebill-wallet-replay");
        assertThat(overrides).hasSize(2);
    }

    @Test
    void shouldReadFileAndFillTheRestWhenLoadingConfig() throws IOException {
        Path file = dir.resolve("wallet.properties");
        Files.writeString(file, """
                # local broker on another port
                bootstrap.servers=127.0.0.1:19092
                schema.registry.url=http://registry:8080/apis/ccompat/v7
                """);

        Properties config = WalletApp.loadConfig(file);

        assertThat(config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("127.0.0.1:19092");
        assertThat(config.getProperty("schema.registry.url")).isEqualTo("http://registry:8080/apis/ccompat/v7");
        assertThat(config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo(WalletApp.APPLICATION_ID);
    }

    @Test
    void shouldCreateUnstartedStreamsWhenGivenConfig() {
        Properties overrides = new Properties();
        overrides.put("schema.registry.url", MockSchemaRegistry.URL_PREFIX + "wallet-app-test");
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());

        try (KafkaStreams streams = WalletApp.create(WalletApp.config(overrides))) {
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
        } finally {
            MockSchemaRegistry.dropScope("wallet-app-test");
        }
    }
}
