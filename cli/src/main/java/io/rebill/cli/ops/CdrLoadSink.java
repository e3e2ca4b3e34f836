package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where {@code rebill produce cdrs} sends the CDRs it generates: {@code metering.cdr.raw} on a
 * running pipeline, asynchronously so a high rate is possible, or a list in tests.
 */
public interface CdrLoadSink extends AutoCloseable {

    @FunctionalInterface
    interface Opener {
        /** Opens a sink on the cluster the options name, failing with a UserException when it cannot be reached. */
        CdrLoadSink open(KafkaOptions kafka);
    }

    /**
     * Sends one CDR without waiting; {@code acknowledged} is called once, with null when Kafka
     * acknowledged it or with the reason it did not, possibly from another thread. Throws when the
     * record cannot even be handed over (e.g. it cannot be serialized).
     */
    void send(String key, CallDetailRecord cdr, Consumer<Exception> acknowledged);

    /** Returns once every record sent so far has been acknowledged or has failed. */
    void flush();

    @Override
    void close();

    /** The real one: checks that Kafka and the registry answer before building a producer. */
    static CdrLoadSink kafka(KafkaOptions kafka) {
        Topics topics = kafka.topics();
        Topic<String, CallDetailRecord> topic = topics.cdrRaw;
        kafka.requireKafka(topic.name());
        kafka.requireRegistry();
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer());
        return new CdrLoadSink() {
            @Override
            public void send(String key, CallDetailRecord cdr, Consumer<Exception> acknowledged) {
                byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
                byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), cdr);
                producer.send(new ProducerRecord<>(topic.name(), keyBytes, valueBytes),
                        (metadata, exception) -> acknowledged.accept(exception));
            }

            @Override
            public void flush() {
                producer.flush();
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }
}
