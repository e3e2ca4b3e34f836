package io.rebill.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a generated Avro class: the writer schema comes from the
 * registry by the id in the header, and Avro's schema resolution maps it onto the class's own
 * (reader) schema, so records written with older or newer compatible schemas still read.
 * Anything else fails with a {@link SerializationException} that says why.
 */
public final class AvroSpecificDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    static {
        TrustedAvroClasses.install();
    }

    private final Class<T> type;
    private final Schema readerSchema;
    private SchemaRegistryClient registry;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    /** Deserializers are shared by stream threads; each thread reuses its own decoder. */
    private static final ThreadLocal<BinaryDecoder[]> DECODER = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    /** For use through {@link #configure}. */
    public AvroSpecificDeserializer(Class<T> type) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
    }

    public AvroSpecificDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this(type);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClients.forUrl(new AvroSerdeConfig(configs).registryUrl());
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSpecificDeserializer used before configure()");
        }
        int writerId = ConfluentWireFormat.schemaId(topic, payload);
        DatumReader<T> reader = readerFor(topic, writerId);
        try {
            BinaryDecoder[] reused = DECODER.get();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload,
                    ConfluentWireFormat.HEADER_SIZE, payload.length - ConfluentWireFormat.HEADER_SIZE, reused[0]);
            reused[0] = decoder;
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Record on topic '" + topic + "' has bytes left over after its "
                        + type.getSimpleName() + " (schema id " + writerId + ")");
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new SerializationException("Record on topic '" + topic + "' is not a valid "
                    + type.getSimpleName() + " written with schema id " + writerId + ": " + e, e);
        }
    }

    private DatumReader<T> readerFor(String topic, int writerId) {
        return readersByWriterId.computeIfAbsent(writerId, id -> {
            Schema writerSchema = registry.schemaById(id);
            if (!writerSchema.getFullName().equals(readerSchema.getFullName())) {
                throw new SerializationException("Record on topic '" + topic + "' was written as "
                        + writerSchema.getFullName() + " (schema id " + id + "), not "
                        + readerSchema.getFullName());
            }
            return new SpecificDatumReader<>(writerSchema, readerSchema);
        });
    }
}
