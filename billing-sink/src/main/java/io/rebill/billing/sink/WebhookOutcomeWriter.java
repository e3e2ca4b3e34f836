package io.rebill.billing.sink;

import io.rebill.billing.refill.Settlement;
import io.rebill.billing.refill.WebhookSettler;
import io.rebill.billing.stripe.PaymentEvent;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.topics.Topics;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a verified Stripe event: what it adds (a credit for a payment the client completed after
 * authenticating, a failure Stripe reported asynchronously) is written in one transaction of its own
 * transactional producer; an event for an outcome already recorded writes nothing. Stripe gets its
 * 2xx only after the commit, so an event that could not be written is sent again by Stripe.
 */
public final class WebhookOutcomeWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookOutcomeWriter.class);

    private final Producer<byte[], byte[]> producer;
    private final WebhookSettler settler;
    private final KeyedView<RefillOutcome> outcomes;
    private final BillingRecordsWriter writer;
    private boolean initialised;

    public WebhookOutcomeWriter(Producer<byte[], byte[]> producer, Topics topics, WebhookSettler settler,
            KeyedView<RefillOutcome> outcomes) {
        this.producer = producer;
        this.settler = settler;
        this.outcomes = outcomes;
        this.writer = new BillingRecordsWriter(producer, topics);
    }

    /**
     * @return true when the event changed something, false when it was already applied
     * @throws io.rebill.billing.refill.InvalidRefillRequestException when its metadata names no wallet
     */
    public synchronized boolean apply(PaymentEvent event) {
        if (!initialised) {
            producer.initTransactions();
            initialised = true;
        }
        outcomes.refresh();
        Settlement settlement = settler.settle(event, outcomes.get(event.refillRequestId()).orElse(null));
        if (!(settlement instanceof Settlement.Decided decided)) {
            log.info("Stripe event {} ({} for refill {}) was already applied", event.eventId(), event.type(),
                    event.refillRequestId());
            return false;
        }
        producer.beginTransaction();
        try {
            writer.write(decided);
            producer.commitTransaction();
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
        outcomes.remember(event.refillRequestId(), decided.outcome());
        log.info("Stripe event {}: refill {} for wallet {} is {}", event.eventId(), event.refillRequestId(),
                event.walletId(), decided.outcome().getStatus());
        return true;
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
