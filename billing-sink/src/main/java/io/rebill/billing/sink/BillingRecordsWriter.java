package io.rebill.billing.sink;

import io.rebill.billing.refill.Settlement;
import io.rebill.topics.DeadLetterHeaders;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Serialises what billing-sink decided onto its topics through one (transactional) producer: the
 * wallet command, the recorded outcome and the notice of a settlement go in together or not at all.
 */
final class BillingRecordsWriter {

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;

    BillingRecordsWriter(Producer<byte[], byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    void write(Settlement.Decided decided) {
        if (decided.command() != null) {
            send(topics.walletCommands, decided.command().getWorkspaceId(), decided.command());
        }
        send(topics.refillOutcomes, decided.outcome().getRequestId(), decided.outcome());
        if (decided.notice() != null) {
            send(topics.billingNotices, decided.notice().getWorkspaceId(), decided.notice());
        }
    }

    /** The record's own bytes and headers, plus the reason in the headers Kafka Streams' dead letters use. */
    void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        header(headers, DeadLetterHeaders.EXCEPTION, reason.getClass().getName());
        header(headers, DeadLetterHeaders.MESSAGE, String.valueOf(reason.getMessage()));
        header(headers, DeadLetterHeaders.TOPIC, record.topic());
        header(headers, DeadLetterHeaders.PARTITION, Integer.toString(record.partition()));
        header(headers, DeadLetterHeaders.OFFSET, Long.toString(record.offset()));
        producer.send(new ProducerRecord<>(topics.billingDeadLetter.name(), null,
                record.timestamp() >= 0 ? record.timestamp() : null, record.key(),
                record.value(), headers));
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), keyBytes, valueBytes));
    }

    private static void header(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
