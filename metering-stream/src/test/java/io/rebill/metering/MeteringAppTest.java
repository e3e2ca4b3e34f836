package io.rebill.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.AvroSerdeConfig;
import io.rebill.serde.MockSchemaRegistry;
import io.rebill.streams.DeadLetteringDeserializationHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteringAppTest {

    @TempDir
    Path dir;

    @Test
    void shouldFillEveryDefaultWhenNothingIsOverridden() {
        Properties config = MeteringApp.config(new Properties());

        assertThat(config)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "rebill-metering")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092")
                .containsEntry(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetteringDeserializationHandler.class.getName())
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "metering.dead-letter");
    }

    @Test
    void shouldKeepOverridesWhenTheySetKeysThatHaveDefaults() {
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-1:9092");
        overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4");

        Properties config = MeteringApp.config(overrides);

        assertThat(config)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-1:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "rebill-metering");
        assertThat(overrides).doesNotContainKey(StreamsConfig.APPLICATION_ID_CONFIG);
    }

    @Test
    void shouldReadFileAndFillDefaultsWhenLoadingConfig() throws IOException {
        Path file = dir.resolve("metering.properties");
        Files.writeString(file, String.join("\n",
                "# staging",
                "bootstrap.servers=broker-a:9092,broker-b:9092",
                "schema.registry.url=http://registry:8081/apis/ccompat/v7",
                "application.id=rebill-metering-staging",
                ""), StandardCharsets.UTF_8);

        Properties config = MeteringApp.loadConfig(file);

        assertThat(config)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "broker-a:9092,broker-b:9092")
                .containsEntry(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry:8081/apis/ccompat/v7")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "rebill-metering-staging")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "metering.dead-letter");
    }

    @Test
    void shouldLetEnvironmentVariablesOverrideTheFileWhenBuildingMainsConfig() throws IOException {
        Path file = dir.resolve("metering.properties");
        Files.writeString(file, """
                bootstrap.servers=from-file:9092
                rebill.metering.dedup.retention.ms=120000
                """, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of(
                "REBILL_CONFIG_BOOTSTRAP_SERVERS", "kafka:9092",
                "REBILL_CONFIG_SCHEMA_REGISTRY_URL", "http://schema-registry:8081",
                "PATH", "/usr/bin");

        Properties config = MeteringApp.config(new String[] {file.toString()}, env);

        assertThat(config)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
                .containsEntry(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://schema-registry:8081")
                .containsEntry(MeteringConfig.DEDUP_RETENTION_MS, "120000")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, MeteringApp.APPLICATION_ID)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .doesNotContainKey("path");
        assertThat(new MeteringConfig(config).dedupRetention()).hasMillis(120_000);
    }

    @Test
    void shouldBuildUnstartedStreamsWhenConfigIsComplete() {
        String scope = "metering-app-" + UUID.randomUUID();
        Properties overrides = new Properties();
        overrides.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, MockSchemaRegistry.URL_PREFIX + scope);
        // KafkaStreams resolves the bootstrap address when built; it connects only once started.
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());

        KafkaStreams streams = MeteringApp.create(MeteringApp.config(overrides));
        try {
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
        } finally {
            streams.close();
            MockSchemaRegistry.dropScope(scope);
        }
    }
}
