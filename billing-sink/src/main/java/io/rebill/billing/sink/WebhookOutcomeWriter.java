package io.rebill.billing.sink;

import io.rebill.billing.refill.Settlement;
import io.rebill.billing.refill.WebhookSettler;
import io.rebill.billing.stripe.PaymentEvent;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.topics.Topics;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a verified Stripe event: what it adds (a credit for a payment the client completed after
 * authenticating, a failure Stripe reported for a payment of unknown outcome) is written in one
 * transaction of its own transactional producer; an event that adds nothing writes nothing. Stripe
 * gets its 2xx only after the commit, so an event that could not be written is sent again by Stripe.
 * A producer that failed is closed and a new one (same transactional id, which fences and aborts
 * what the old one left open) serves the next event.
 */
public final class WebhookOutcomeWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookOutcomeWriter.class);

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final Topics topics;
    private final WebhookSettler settler;
    private final KeyedView<RefillOutcome> outcomes;
    private Producer<byte[], byte[]> producer;

    /** What an event did, for the answer to Stripe and the log. */
    public record Result(boolean applied, String detail) {
    }

    /** @param producers makes a transactional producer, now and after one failed */
    public WebhookOutcomeWriter(Supplier<Producer<byte[], byte[]>> producers, Topics topics, WebhookSettler settler,
            KeyedView<RefillOutcome> outcomes) {
        this.producers = producers;
        this.topics = topics;
        this.settler = settler;
        this.outcomes = outcomes;
    }

    /**
     * @throws io.rebill.billing.refill.InvalidRefillRequestException when its metadata names no wallet
     * @throws RuntimeException when the outcome could not be written (nothing was)
     */
    public synchronized Result apply(PaymentEvent event) {
        outcomes.refresh();
        Settlement settlement = settler.settle(event, outcomes.get(event.refillRequestId()).orElse(null));
        if (settlement instanceof Settlement.Ignored ignored) {
            log.warn("Stripe event {} ({} for refill {}) ignored: {}", event.eventId(), event.type(),
                    event.refillRequestId(), ignored.reason());
            return new Result(false, ignored.reason());
        }
        if (!(settlement instanceof Settlement.Decided decided)) {
            log.info("Stripe event {} ({} for refill {}) was already applied", event.eventId(), event.type(),
                    event.refillRequestId());
            return new Result(false, "already applied");
        }
        Producer<byte[], byte[]> transactional = producer();
        try {
            transactional.beginTransaction();
            new BillingRecordsWriter(transactional, topics).write(decided);
            transactional.commitTransaction();
        } catch (RuntimeException e) {
            discardProducer(e);
            throw e;
        }
        outcomes.remember(event.refillRequestId(), decided.outcome());
        log.info("Stripe event {}: refill {} for wallet {} is {}", event.eventId(), event.refillRequestId(),
                event.walletId(), decided.outcome().getStatus());
        return new Result(true, decided.outcome().getStatus().name());
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Producer<byte[], byte[]> created = producers.get();
            created.initTransactions();
            producer = created;
        }
        return producer;
    }

    private void discardProducer(RuntimeException cause) {
        log.error("Writing a Stripe event's outcome failed; the transaction is dropped and a new producer "
                + "serves the next event", cause);
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException closeFailed) {
            cause.addSuppressed(closeFailed);
        }
        producer = null;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
