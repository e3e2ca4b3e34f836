package io.rebill.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.MockSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
    void shouldLetEnvironmentVariablesOverrideTheFileWhenBuildingMainsConfig() throws IOException {
        Path file = dir.resolve("wallet.properties");
        Files.writeString(file, """
                bootstrap.servers=from-file:9092
                rebill.wallet.http.port=18090
                rebill.wallet.trial.days=7
                """);
        Map<String, String> env = Map.of(
                "REBILL_CONFIG_BOOTSTRAP_SERVERS", "kafka:9092",
                "REBILL_CONFIG_REBILL_WALLET_HTTP_PORT", "8090",
                "REBILL_CONFIG_APPLICATION_SERVER", "wallet-1.internal:8090");

        Properties config = WalletApp.config(new String[] {file.toString()}, env);

        assertThat(config)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
                .containsEntry(WalletConfig.TRIAL_DAYS, "7")
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "wallet-1.internal:8090")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, WalletApp.APPLICATION_ID);
        assertThat(new WalletConfig(config).httpPort()).isEqualTo(8090);
    }

    @Test
    void shouldAdvertiseEachReplicasOwnHostNameWhenTheApiListensOnAllInterfaces() throws IOException {
        Map<String, String> service = Map.of(
                "REBILL_CONFIG_REBILL_WALLET_HTTP_HOST", "0.0.0.0",
                "REBILL_CONFIG_REBILL_WALLET_HTTP_PORT", "8090");

        Properties first = WalletApp.config(new String[0], withHostName(service, "3f2a9c81d0e4"));
        Properties second = WalletApp.config(new String[0], withHostName(service, "b71c04e9a2f5"));

        assertThat(first.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("3f2a9c81d0e4:8090");
        assertThat(second.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("b71c04e9a2f5:8090");
        assertThat(first.getProperty(StreamsConfig.APPLICATION_ID_CONFIG))
                .isEqualTo(second.getProperty(StreamsConfig.APPLICATION_ID_CONFIG))
                .isEqualTo(WalletApp.APPLICATION_ID);
    }

    @Test
    void shouldAdvertiseTheListenAddressWhenItIsASpecificHost() {
        Properties overrides = new Properties();
        overrides.put(WalletConfig.HTTP_HOST, "10.0.0.7");
        overrides.put(WalletConfig.HTTP_PORT, "8095");

        Properties config = WalletApp.config(overrides, Map.of("HOSTNAME", "not-used"));

        assertThat(config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("10.0.0.7:8095");
    }

    private static Map<String, String> withHostName(Map<String, String> env, String hostName) {
        Map<String, String> withHost = new HashMap<>(env);
        withHost.put("HOSTNAME", hostName);
        return withHost;
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
