package io.rebill.billing.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole compacted topic held in memory, read from its beginning with a consumer that is assigned
 * every partition (no group), read_committed so only committed transactions count. billing-sink's
 * reference data (cards on file) and its memory of settled refills are small next to usage, and
 * every instance needs all of it, so a plain map beats a store.
 */
public final class CompactedTopicView<V> implements KeyedView<V>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicView.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final BiFunction<String, byte[], V> decoder;
    private final Duration timeout;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    private List<TopicPartition> partitions;
    private long unreadable;

    /**
     * @param consumer read_committed, no group id needed; closed with this view
     * @param decoder  turns a value's bytes into V; may throw for bytes it cannot read (logged, skipped)
     */
    public CompactedTopicView(Consumer<String, byte[]> consumer, String topic, BiFunction<String, byte[], V> decoder,
            Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.decoder = decoder;
        this.timeout = timeout;
    }

    @Override
    public Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public synchronized void refresh() {
        if (partitions == null) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " does not exist; create the topics first "
                        + "(rebill topics create)");
            }
            partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Instant deadline = Instant.now().plus(timeout);
        while (!caughtUp(end)) {
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("Reading " + topic + " did not reach its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                apply(record);
            }
        }
    }

    @Override
    public void remember(String key, V value) {
        values.put(key, value);
    }

    /** Values this view skipped because it could not read them. */
    public synchronized long unreadable() {
        return unreadable;
    }

    public int size() {
        return values.size();
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), timeout) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            values.remove(record.key());
            return;
        }
        try {
            values.put(record.key(), decoder.apply(record.topic(), record.value()));
        } catch (RuntimeException e) {
            unreadable++;
            log.error("Skipping unreadable value of key {} at {}-{}@{}: {}", record.key(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
