package io.rebill.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record in the Confluent wire format, registering its schema under the
 * TopicNameStrategy subject ({@code <topic>-value} or {@code <topic>-key}). Null stays null, so
 * tombstones survive. Thread-safe: Kafka Streams shares one instance across stream threads.
 */
public final class AvroSpecificSerializer<T extends SpecificRecord> implements Serializer<T> {

    static {
        TrustedAvroClasses.install();
    }

    private SchemaRegistryClient registry;
    private boolean autoRegister = true;
    private boolean isKey;
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    /** The last schema id per topic: a pipeline writes the same type to the same topic millions of times. */
    private final Map<String, SchemaId> idsByTopic = new ConcurrentHashMap<>();
    /** Serializers are shared by stream threads; each thread reuses its own buffer and encoder. */
    private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroSpecificSerializer() {
    }

    public AvroSpecificSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.registry = SchemaRegistryClients.forUrl(config.registryUrl());
        this.autoRegister = config.autoRegister();
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSpecificSerializer used before configure()");
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic, schema);
        try {
            Output output = OUTPUT.get();
            ByteArrayOutputStream out = output.out;
            out.reset();
            out.write(ConfluentWireFormat.MAGIC_BYTE);
            out.write(id >>> 24);
            out.write(id >>> 16);
            out.write(id >>> 8);
            out.write(id);
            output.encoder = EncoderFactory.get().binaryEncoder(out, output.encoder);
            writerFor(schema).write(record, output.encoder);
            output.encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write " + schema.getFullName() + " for topic '"
                    + topic + "': " + e.getMessage(), e);
        }
    }

    private int schemaId(String topic, Schema schema) {
        SchemaId known = idsByTopic.get(topic);
        if (known != null && known.schema() == schema) {
            return known.id();
        }
        String subject = Subjects.topicNameStrategy(topic, isKey);
        int id = autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
        idsByTopic.put(topic, new SchemaId(schema, id));
        return id;
    }

    private record SchemaId(Schema schema, int id) {
    }

    private static final class Output {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;
    }

    private DatumWriter<T> writerFor(Schema schema) {
        return writers.computeIfAbsent(schema, SpecificDatumWriter::new);
    }
}
