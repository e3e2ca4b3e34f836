package io.rebill.cli.kafka;

import io.rebill.topics.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records to catalog topics with each topic's own serdes, idempotently and acknowledged by
 * all replicas, and tells where they landed: for tools that publish data and then wait for the
 * pipeline to process it.
 */
public final class CatalogProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

    public CatalogProducer(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public <K, V> void send(Topic<K, V> topic, K key, V value) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        inFlight.add(producer.send(new ProducerRecord<>(topic.name(), keyBytes, valueBytes)));
    }

    /** Sends bytes as they are, e.g. a record that failed to parse, to show it is dead-lettered. */
    public void sendRaw(String topic, byte[] key, byte[] value) {
        inFlight.add(producer.send(new ProducerRecord<>(topic, key, value)));
    }

    /**
     * Waits for everything sent so far and returns, per partition, the offset after the last
     * record sent there.
     */
    public Map<TopicPartition, Long> flush() {
        Map<TopicPartition, Long> next = new HashMap<>();
        try {
            for (Future<RecordMetadata> future : inFlight) {
                RecordMetadata sent = future.get();
                next.merge(new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1, Math::max);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Producing failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            inFlight.clear();
        }
        return next;
    }

    @Override
    public void close() {
        producer.close();
    }
}
