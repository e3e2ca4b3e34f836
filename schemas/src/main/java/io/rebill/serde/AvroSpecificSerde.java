package io.rebill.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Rebill's Confluent wire-format serde for one generated Avro class. */
public final class AvroSpecificSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSpecificSerializer<T> serializer;
    private final AvroSpecificDeserializer<T> deserializer;

    /** Unconfigured; {@link #configure} connects it to a registry. */
    public AvroSpecificSerde(Class<T> type) {
        this.serializer = new AvroSpecificSerializer<>();
        this.deserializer = new AvroSpecificDeserializer<>(type);
    }

    public AvroSpecificSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.serializer = new AvroSpecificSerializer<>(registry, autoRegister, isKey);
        this.deserializer = new AvroSpecificDeserializer<>(type, registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
