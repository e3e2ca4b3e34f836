package io.rebill.cli.kafka;

import io.rebill.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a whole topic as it is now, committed transactions only, without joining a consumer
 * group: what reports and tests need to see what the pipeline wrote.
 */
public final class TopicReader {

    private TopicReader() {
    }

    public static <K, V> List<ConsumerRecord<K, V>> readAll(Map<String, Object> clientConfig, Topic<K, V> topic,
                                                              Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        forEachRecord(clientConfig, topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer(),
                timeout, records::add);
        return records;
    }

    /**
     * Per partition of a topic, the offset after its last committed record (not counting the
     * transaction markers that may follow it); partitions without records are left out.
     */
    public static Map<TopicPartition, Long> nextOffsetsAfterLastRecord(Map<String, Object> clientConfig,
                                                                       String topic, Duration timeout) {
        Map<TopicPartition, Long> next = new HashMap<>();
        forEachRecord(clientConfig, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), timeout,
                r -> next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
        return next;
    }

    private static <K, V> void forEachRecord(Map<String, Object> clientConfig, String topic,
                                             Deserializer<K> keys, Deserializer<V> values, Duration timeout,
                                             Consumer<ConsumerRecord<K, V>> action) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For a read_committed consumer these are the last stable offsets.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(action);
            }
        }
    }
}
