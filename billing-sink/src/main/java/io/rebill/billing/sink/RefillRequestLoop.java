package io.rebill.billing.sink;

import io.rebill.billing.refill.InvalidRefillRequestException;
import io.rebill.billing.refill.RefillSettler;
import io.rebill.billing.refill.Settlement;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.serde.SchemaRegistryException;
import io.rebill.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * billing-sink's consume-call-produce loop over {@code billing.refill.requested}. For each batch it
 * opens a Kafka transaction, settles every request (charging the card through the gateway when there
 * is one), writes the wallet commands, outcomes and notices, and commits the consumed offsets in the
 * same transaction: an outcome is never lost or written twice. A crash after the card was charged
 * and before the commit redelivers the request, and the retry carries the same idempotency key, so
 * Stripe answers with the first charge instead of making a second one. Outcomes already recorded on
 * {@code billing.refill-outcomes} are never charged again, even after Stripe forgot the key.
 *
 * <p>When the provider cannot say what happened (outages, timeouts), the request's partition stops
 * at that request and is retried after {@code undeterminedRetry}: reporting a failure could make the
 * wallet ask again under a new key and charge twice. Other partitions go on. After
 * {@code undeterminedGiveUp} (well inside Stripe's 24-hour key retention, after which a retry would
 * be a new charge) the request is recorded as UNKNOWN, never charged again, and ops are told.
 */
public final class RefillRequestLoop implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RefillRequestLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration FAILED_BATCH_PAUSE = Duration.ofSeconds(1);
    private static final int COMMIT_ATTEMPTS = 3;

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final RefillSettler settler;
    private final KeyedView<PaymentMethodOnFile> paymentMethods;
    private final KeyedView<RefillOutcome> outcomes;
    private final Duration undeterminedRetry;
    private final Duration undeterminedGiveUp;
    /** When each held request was first left undetermined; in memory, so a restart starts counting again. */
    private final Map<String, Instant> undeterminedSince = new HashMap<>();
    private final Clock clock;
    private final BillingRecordsWriter writer;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Counters counters = new Counters();
    private volatile State state = State.CREATED;

    /** Where the loop is, for health checks. */
    public enum State {
        /** Built, not run yet. */
        CREATED,
        /** Running, before its first poll returned (fencing, joining the group). */
        STARTING,
        /** Polling {@code billing.refill.requested}. */
        CONSUMING,
        /** Stopped: closed, or after a fatal error. */
        STOPPED
    }

    public RefillRequestLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Topics topics,
            RefillSettler settler, KeyedView<PaymentMethodOnFile> paymentMethods, KeyedView<RefillOutcome> outcomes,
            Duration undeterminedRetry, Duration undeterminedGiveUp, Clock clock) {
        this.consumer = consumer;
        this.producer = producer;
        this.topics = topics;
        this.settler = settler;
        this.paymentMethods = paymentMethods;
        this.outcomes = outcomes;
        this.undeterminedRetry = undeterminedRetry;
        this.undeterminedGiveUp = undeterminedGiveUp;
        this.clock = clock;
        this.writer = new BillingRecordsWriter(producer, topics);
    }

    /** What the loop has done since it started; for logs, tests and metrics. */
    public static final class Counters {
        public final AtomicLong charged = new AtomicLong();
        public final AtomicLong failed = new AtomicLong();
        public final AtomicLong awaitingOfflinePayment = new AtomicLong();
        public final AtomicLong alreadySettled = new AtomicLong();
        public final AtomicLong undetermined = new AtomicLong();
        /** Requests recorded as UNKNOWN after Stripe never told their outcome. */
        public final AtomicLong gaveUp = new AtomicLong();
        public final AtomicLong deadLettered = new AtomicLong();
    }

    public Counters counters() {
        return counters;
    }

    public State state() {
        return state;
    }

    @Override
    public void run() {
        state = State.STARTING;
        try {
            startUp();
            while (running.get()) {
                pollOnce();
            }
        } catch (WakeupException | InterruptException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            state = State.STOPPED;
            closeQuietly();
        }
    }

    /** Fences earlier incarnations of this transactional id (aborting what they left open) and subscribes. */
    void startUp() {
        producer.initTransactions();
        consumer.subscribe(List.of(topics.refillRequested.name()), new ForgetPausesOnRevoke());
    }

    /** One poll and, if it returned records, one transaction. */
    void pollOnce() {
        resumeDuePartitions();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        state = State.CONSUMING;
        if (!records.isEmpty()) {
            processInTransaction(records);
        }
    }

    private void processInTransaction(ConsumerRecords<byte[], byte[]> records) {
        Map<String, RefillOutcome> settledInBatch = new HashMap<>();
        try {
            producer.beginTransaction();
            paymentMethods.refresh();
            outcomes.refresh();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition partition : records.partitions()) {
                for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                    if (!settle(record, settledInBatch)) {
                        hold(partition, record.offset());
                        break;
                    }
                    offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
                }
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            commit();
            settledInBatch.forEach(outcomes::remember);
            settledInBatch.values().forEach(this::count);
            settledInBatch.keySet().forEach(undeterminedSince::remove);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            // Another instance took over this transactional id, or the cluster refuses us: stop.
            running.set(false);
            throw e;
        } catch (WakeupException | InterruptException e) {
            abortQuietly();
            throw e;
        } catch (RuntimeException e) {
            log.error("Refill batch failed and was rolled back; it is read again in {}", FAILED_BATCH_PAUSE, e);
            if (!abortQuietly()) {
                // The producer cannot abort (a commit that timed out for good): it cannot be trusted
                // with another transaction. Stop; /health says DOWN and a restart fences it.
                running.set(false);
                throw e;
            }
            rewind(records.partitions());
            pauseAfterFailure();
        }
    }

    /** Commits, retrying a commit that timed out: Kafka allows a timed-out commit to be called again. */
    private void commit() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (attempt >= COMMIT_ATTEMPTS) {
                    throw e;
                }
                log.warn("Committing the refill transaction timed out (attempt {}/{}); retrying", attempt,
                        COMMIT_ATTEMPTS);
            }
        }
    }

    /** Settles one request inside the open transaction; false when its outcome is not known yet. */
    private boolean settle(ConsumerRecord<byte[], byte[]> record, Map<String, RefillOutcome> settledInBatch) {
        RefillRequest request;
        try {
            request = decode(record);
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isOutage(e)) {
                throw new IllegalStateException("Schema registry unavailable reading " + record.topic() + "-"
                        + record.partition() + "@" + record.offset(), e);
            }
            deadLetter(record, e);
            return true;
        }
        Settlement settlement;
        PaymentMethodOnFile method = paymentMethods.get(request.getWalletId()).orElse(null);
        try {
            RefillOutcome earlier = settledInBatch.get(request.getRequestId());
            if (earlier == null) {
                earlier = outcomes.get(request.getRequestId()).orElse(null);
            }
            settlement = settler.settle(request, method, earlier);
        } catch (InvalidRefillRequestException e) {
            deadLetter(record, e);
            return true;
        }
        if (settlement instanceof Settlement.AlreadySettled already) {
            counters.alreadySettled.incrementAndGet();
            log.info("Refill {} was settled before ({}); nothing is charged again", request.getRequestId(),
                    already.earlier().getStatus());
            return true;
        }
        if (settlement instanceof Settlement.Undetermined undetermined) {
            counters.undetermined.incrementAndGet();
            Instant since = undeterminedSince.computeIfAbsent(request.getRequestId(), id -> clock.instant());
            if (clock.instant().isBefore(since.plus(undeterminedGiveUp))) {
                log.warn("Refill {} for wallet {}: payment outcome unknown ({}); retrying in {} with the same key",
                        request.getRequestId(), request.getWalletId(), undetermined.reason(), undeterminedRetry);
                return false;
            }
            log.error("Refill {} for wallet {}: payment outcome still unknown after {} ({}); recorded as UNKNOWN "
                    + "for ops to settle, never charged again", request.getRequestId(), request.getWalletId(),
                    undeterminedGiveUp, undetermined.reason());
            settlement = settler.giveUp(request, method, undetermined.reason());
        }
        Settlement.Decided decided = (Settlement.Decided) settlement;
        writer.write(decided);
        settledInBatch.put(request.getRequestId(), decided.outcome());
        return true;
    }

    private RefillRequest decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new InvalidRefillRequestException("refill request record has no value");
        }
        return topics.refillRequested.valueSerde().deserializer().deserialize(record.topic(), record.headers(),
                record.value());
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception reason) {
        counters.deadLettered.incrementAndGet();
        log.error("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                reason.getMessage());
        writer.deadLetter(record, reason);
    }

    /** Counted once committed, so a reader that sees the counter also sees the records. */
    private void count(RefillOutcome outcome) {
        switch (outcome.getStatus()) {
            case SUCCEEDED -> counters.charged.incrementAndGet();
            case FAILED -> counters.failed.incrementAndGet();
            case AWAITING_OFFLINE_PAYMENT -> counters.awaitingOfflinePayment.incrementAndGet();
            case UNKNOWN -> counters.gaveUp.incrementAndGet();
            default -> {
            }
        }
        log.info("Refill {} for wallet {}: {} {}", outcome.getRequestId(), outcome.getWalletId(), outcome.getStatus(),
                outcome.getFailureCode() == null ? "" : outcome.getFailureCode());
    }

    private void hold(TopicPartition partition, long offset) {
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        pausedUntil.put(partition, clock.instant().plus(undeterminedRetry));
    }

    private void resumeDuePartitions() {
        Instant now = clock.instant();
        List<TopicPartition> due = pausedUntil.entrySet().stream()
                .filter(e -> !now.isBefore(e.getValue())).map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            consumer.resume(due);
            due.forEach(pausedUntil::remove);
        }
    }

    /** After a rollback: back to the committed offsets, so the batch is read again. */
    private void rewind(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    private void pauseAfterFailure() {
        try {
            Thread.sleep(FAILED_BATCH_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** False when the producer could not abort (it must not be used again). */
    private boolean abortQuietly() {
        try {
            producer.abortTransaction();
            return true;
        } catch (RuntimeException e) {
            log.error("Could not abort the refill transaction: {}", e.getMessage());
            return false;
        }
    }

    private void closeQuietly() {
        try {
            consumer.close();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    private final class ForgetPausesOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(pausedUntil::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
