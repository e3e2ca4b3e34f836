package io.rebill.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde;
import io.rebill.schemas.wallet.AccessStatus;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    @Test
    void shouldUseRebillSerdeByDefault() {
        Serde<AccessStatus> serde = AvroSerdes.valueSerde(AccessStatus.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://default-impl"));

        assertThat(serde).isInstanceOf(AvroSpecificSerde.class);
    }

    @Test
    void shouldSelectConfluentSpecificAvroSerdeByConfiguration() {
        Serde<AccessStatus> serde = AvroSerdes.keySerde(AccessStatus.class, Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry:8081",
                AvroSerdeConfig.SERDE_IMPLEMENTATION, AvroSerdeConfig.IMPLEMENTATION_CONFLUENT));

        assertThat(serde).isInstanceOf(SpecificAvroSerde.class);
        SpecificAvroSerde<?> confluent = (SpecificAvroSerde<?>) serde;
        assertThat(confluent.isKey).isTrue();
        assertThat(confluent.configs)
                .containsEntry("schema.registry.url", "http://registry:8081")
                .containsEntry("specific.avro.reader", true);
    }

    @Test
    void shouldExplainMissingSerdeClass() {
        assertThatThrownBy(() -> AvroSerdes.valueSerde(AccessStatus.class, Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://x",
                AvroSerdeConfig.SERDE_IMPLEMENTATION, "com.example.NoSuchSerde")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("com.example.NoSuchSerde")
                .hasMessageContaining("is not on the classpath");
    }

    @Test
    void shouldRefuseRegistryUrlWithoutKnownScheme() {
        assertThatThrownBy(() -> AvroSerdes.valueSerde(AccessStatus.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "registry:8081")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with http://, https:// or mock://");
    }
}
