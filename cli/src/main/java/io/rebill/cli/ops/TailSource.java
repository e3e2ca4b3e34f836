package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where {@code rebill tail} reads records from: every partition of one topic on a running
 * pipeline, without a consumer group (so tailing never moves anyone's offsets), or a list in tests.
 */
public interface TailSource extends AutoCloseable {

    @FunctionalInterface
    interface Opener {
        /**
         * Opens the topic at its beginning or at its current end, failing with a UserException when
         * Kafka (or, when {@code needsRegistry}, the schema registry) cannot be reached.
         */
        TailSource open(KafkaOptions kafka, String topic, boolean fromBeginning, boolean needsRegistry);
    }

    /** The next records, waiting at most {@code timeout} for some; an empty list when none came. */
    List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout);

    @Override
    void close();

    /** The real one: a read_committed consumer assigned to every partition. */
    static TailSource kafka(KafkaOptions kafka, String topic, boolean fromBeginning, boolean needsRegistry) {
        kafka.requireKafka(topic);
        if (needsRegistry) {
            kafka.requireRegistry();
        }
        Map<String, Object> config = kafka.kafkaConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // Seeks are lazy: fix the positions now, so what is written from here on is all shown.
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        return new TailSource() {
            @Override
            public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                consumer.poll(timeout).forEach(records::add);
                return records;
            }

            @Override
            public void close() {
                consumer.close();
            }
        };
    }
}
