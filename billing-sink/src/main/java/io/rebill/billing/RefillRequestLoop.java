package io.rebill.billing;

import io.rebill.config.ServiceConfig;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * billing-sink's consume loop over {@code billing.refill.requested}. This first version has no
 * payment gateway: every request is reported as awaiting payment, which an operator settles
 * by hand (a top-up command). Stripe charging with idempotency keys replaces this decision.
 */
public final class RefillRequestLoop implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RefillRequestLoop.class);

    private final KafkaConsumer<String, RefillRequest> consumer;
    private final String topic;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong awaitingPayment = new AtomicLong();

    RefillRequestLoop(Properties config) {
        Map<String, Object> settings = ServiceConfig.asMap(config);
        // application.id is a Streams key; a plain consumer would only warn about it.
        settings.remove(ServiceConfig.APPLICATION_ID);
        Topics topics = Topics.create(settings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.topic = topics.refillRequested.name();
        this.consumer = new KafkaConsumer<>(settings, topics.refillRequested.keySerde().deserializer(),
                topics.refillRequested.valueSerde().deserializer());
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                for (ConsumerRecord<String, RefillRequest> record : consumer.poll(Duration.ofMillis(500))) {
                    RefillRequest request = record.value();
                    awaitingPayment.incrementAndGet();
                    log.warn("Refill {} for wallet {} ({} micros {}) awaits payment: no payment gateway is "
                                    + "configured; record the payment with a top-up command",
                            request.getRequestId(), request.getWalletId(), request.getAmountMicros(),
                            request.getCurrency());
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close();
        }
    }

    /** Refill requests seen since start that wait for an offline payment. */
    public long awaitingPayment() {
        return awaitingPayment.get();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
