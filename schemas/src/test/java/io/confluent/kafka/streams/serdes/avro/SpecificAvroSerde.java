package io.confluent.kafka.streams.serdes.avro;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Test double with the class name and shape of Confluent's SpecificAvroSerde (whose jar is not on
 * Maven Central), so the test can show the catalog picks and configures it when asked to.
 */
public class SpecificAvroSerde<T> implements Serde<T> {

    public Map<String, Object> configs;
    public boolean isKey;

    public SpecificAvroSerde() {
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.configs = new java.util.HashMap<>(configs);
        this.isKey = isKey;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> new byte[0];
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> null;
    }
}
