package io.rebill.billing.push;

import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.serde.SchemaRegistryException;
import io.rebill.billing.retry.Sleeper;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes every change on {@code wallet.access} and {@code wallet.numbers} to the platform's webhook,
 * at least once and one record at a time, in offset order.
 *
 * <p>A record's event is posted until the platform acknowledges it (2xx), waiting between attempts
 * from {@link PlatformPushSettings#initialBackoff()} doubling up to
 * {@link PlatformPushSettings#maxBackoff()}, forever; only then is its offset committed and the next
 * record taken. So nothing acknowledged is pushed again after a restart (except an acknowledgement
 * whose commit was lost, which the receiver de-duplicates by event id), nothing unacknowledged is
 * skipped, and the changes of one key (one partition) arrive in the order they happened.
 * While it waits, the loop keeps its group membership by polling with every partition paused.
 * A partition revoked meanwhile is dropped from the loop's hands; its new owner starts again
 * from the committed offset.
 *
 * <p>Not pushed, but committed: tombstones and records in state {@code UNKNOWN} (nothing the
 * platform could act on), and records whose bytes cannot be decoded (logged at error with
 * topic, partition and offset, since waiting cannot fix them). A schema registry that cannot be
 * reached is retried like a failed push.
 *
 * <p>The consumer must be configured with {@code isolation.level=read_committed} (wallet-stream
 * writes transactionally), {@code enable.auto.commit=false} (this loop commits after each
 * acknowledgement), and a group id of its own, {@value #GROUP_ID}, so its progress is independent
 * of billing-sink's other consumers, with {@code StringDeserializer} keys and
 * {@code ByteArrayDeserializer} values (the loop decodes values itself, so bad bytes can be skipped).
 * With {@code auto.offset.reset=earliest} a new group first pushes the latest state of every key still
 * in the compacted topics.
 *
 * <p>{@link #run()} on one thread; {@link #close()} and the counters from any.
 */
public final class PlatformPushLoop implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PlatformPushLoop.class);

    /** The consumer group of the push; not shared with any other consumer. */
    public static final String GROUP_ID = "rebill-billing-sink-push";

    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** The longest single sleep while waiting to retry: how late close() or a rebalance is noticed. */
    static final Duration KEEP_ALIVE_SLICE = Duration.ofMillis(100);
    /** Slow but successful pushes must not keep the loop from polling for max.poll.interval.ms (5 min). */
    static final Duration MAX_TIME_BETWEEN_POLLS = Duration.ofSeconds(30);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final String accessTopic;
    private final String numbersTopic;
    private final Deserializer<AccessStatus> accessDeserializer;
    private final Deserializer<PhoneNumberStatus> numberDeserializer;
    private final PlatformPushSettings settings;
    private final PlatformWebhookClient client;
    private final Clock clock;
    private final Sleeper sleeper;

    // Used on the loop thread only; the rebalance listener runs inside poll(), on the same thread.
    private final Deque<ConsumerRecord<String, byte[]>> held = new ArrayDeque<>();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private boolean paused;
    private Instant lastPoll;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread runner;
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param consumer a consumer configured as described above; the loop subscribes it and closes
     *                 it when it stops
     * @param topics   the catalog; its value serdes decode the records
     * @param settings enabled push settings
     * @param client   posts the events
     * @param clock    times the waits between retries
     * @param sleeper  sleeps during those waits, in slices of at most {@link #KEEP_ALIVE_SLICE}
     */
    public PlatformPushLoop(Consumer<String, byte[]> consumer, Topics topics, PlatformPushSettings settings,
                            PlatformWebhookClient client, Clock clock, Sleeper sleeper) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("Platform push is disabled (no " + PlatformPushSettings.URL + ")");
        }
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.accessTopic = topics.walletAccess.name();
        this.numbersTopic = topics.walletNumbers.name();
        this.accessDeserializer = topics.walletAccess.valueSerde().deserializer();
        this.numberDeserializer = topics.walletNumbers.valueSerde().deserializer();
        this.settings = settings;
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        boolean interrupted = false;
        try {
            consumer.subscribe(List.of(accessTopic, numbersTopic), new HeldRecordsRebalanceListener());
            while (running.get()) {
                hold(consumer.poll(POLL_TIMEOUT));
                lastPoll = clock.instant();
                pushHeld();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (InterruptedException e) {
            interrupted = true;
            log.warn("Platform push interrupted; stopping");
        } catch (RuntimeException e) {
            log.error("Platform push stopped by an unexpected error", e);
            throw e;
        } finally {
            running.set(false);
            try {
                commitBeforeClosing();
                consumer.close();
            } finally {
                log.info("Platform push stopped: {} pushed, {} retries, {} skipped", pushed(), retries(), skipped());
                stopped.countDown();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the loop, even in the middle of a wait between retries, and waits for it to commit what
     * was acknowledged and close the consumer; a request in flight may take up to the request
     * timeout. The record being retried is not committed: it is pushed again after a restart.
     */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        Thread loopThread = runner;
        if (loopThread == null || loopThread == Thread.currentThread()) {
            return;
        }
        try {
            Duration grace = settings.requestTimeout().plus(CLOSE_GRACE);
            if (!stopped.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Platform push did not stop within {}", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events the platform acknowledged since start. */
    public long pushed() {
        return pushed.get();
    }

    /** Failed attempts (no 2xx, or the schema registry unavailable), each followed by a wait and a retry. */
    public long retries() {
        return retries.get();
    }

    /** Records not pushed because their bytes cannot be decoded or their state is UNKNOWN; tombstones not counted. */
    public long skipped() {
        return skipped.get();
    }

    private void pushHeld() throws InterruptedException {
        while (running.get() && !held.isEmpty()) {
            ConsumerRecord<String, byte[]> record = held.peekFirst();
            if (deliver(record)) {
                held.pollFirst();
                acknowledge(record);
            }
            if (Duration.between(lastPoll, clock.instant()).compareTo(MAX_TIME_BETWEEN_POLLS) >= 0) {
                keepAlivePoll();
                resumeIfPaused();
            }
        }
    }

    /**
     * Attempts the record until it is done with. False when it was given up unacknowledged: the
     * loop is closing or its partition was revoked (and the record already dropped from
     * {@link #held}).
     */
    private boolean deliver(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Duration backoff = settings.initialBackoff();
        int attempt = 1;
        try {
            while (!attempt(record, attempt)) {
                retries.incrementAndGet();
                if (!waitBeforeRetry(record, backoff)) {
                    return false;
                }
                backoff = doubled(backoff);
                attempt++;
            }
            if (attempt > 1) {
                log.info("{}-{}@{} delivered on attempt {}", record.topic(), record.partition(), record.offset(),
                        attempt);
            }
            return true;
        } finally {
            resumeIfPaused();
        }
    }

    /** True when the record is done with: pushed, nothing to push, or skipped; false after a logged failure. */
    private boolean attempt(ConsumerRecord<String, byte[]> record, int attempt) throws InterruptedException {
        Optional<PlatformEvent> event;
        try {
            event = toEvent(record);
        } catch (SerializationException e) {
            if (isRegistryUnavailable(e)) {
                log.warn("Cannot decode {}-{}@{} yet, the schema registry is unavailable (attempt {}): {}",
                        record.topic(), record.partition(), record.offset(), attempt, e.getMessage());
                return false;
            }
            skipped.incrementAndGet();
            log.error("Skipping undecodable record {}-{}@{} (key {}), it is not pushed: {}", record.topic(),
                    record.partition(), record.offset(), record.key(), e.getMessage());
            return true;
        }
        if (event.isEmpty()) {
            return true;
        }
        try {
            client.post(event.get());
            pushed.incrementAndGet();
            return true;
        } catch (PlatformPushException e) {
            log.warn("Push of {}-{}@{} failed (attempt {}): {}", record.topic(), record.partition(), record.offset(),
                    attempt, e.getMessage());
            return false;
        }
    }

    private Optional<PlatformEvent> toEvent(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Optional.empty(); // a tombstone: compaction's delete marker, nothing happened
        }
        Optional<PlatformEvent> event;
        Object state;
        if (accessTopic.equals(record.topic())) {
            AccessStatus status = accessDeserializer.deserialize(record.topic(), record.headers(), record.value());
            event = PlatformEventMapper.accessChanged(status);
            state = status.getState();
        } else if (numbersTopic.equals(record.topic())) {
            PhoneNumberStatus status = numberDeserializer.deserialize(record.topic(), record.headers(), record.value());
            event = PlatformEventMapper.numberChanged(status);
            state = status.getState();
        } else {
            throw new IllegalStateException("Record from unsubscribed topic " + record.topic());
        }
        if (event.isEmpty()) {
            skipped.incrementAndGet();
            log.warn("Not pushing {}-{}@{} (key {}): state {} has no platform event", record.topic(),
                    record.partition(), record.offset(), record.key(), state);
        }
        return event;
    }

    /** An outage to wait out, unlike bytes that will never decode. */
    private static boolean isRegistryUnavailable(SerializationException e) {
        if (SchemaRegistryException.isOutage(e)) {
            return true;
        }
        // Confluent's serde (rebill.serde.implementation=confluent) wraps its client's IOException instead.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Waits out the backoff while staying in the group; false when closing or the record's partition was revoked. */
    private boolean waitBeforeRetry(ConsumerRecord<String, byte[]> record, Duration backoff)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(backoff);
        while (running.get()) {
            keepAlivePoll();
            if (held.peekFirst() != record) {
                log.info("{}-{} was revoked while offset {} waited to be retried; its new owner pushes it", record.topic(),
                        record.partition(), record.offset());
                return false;
            }
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                return true;
            }
            sleeper.sleep(remaining.compareTo(KEEP_ALIVE_SLICE) < 0 ? remaining : KEEP_ALIVE_SLICE);
        }
        return false;
    }

    /**
     * Polls with every partition paused: keeps the group membership and runs rebalances without
     * taking new records. Records fetched anyway (a partition assigned during the poll) are held.
     */
    private void keepAlivePoll() {
        paused = true;
        consumer.pause(consumer.assignment());
        hold(consumer.poll(Duration.ZERO));
        consumer.pause(consumer.assignment());
        lastPoll = clock.instant();
    }

    private void resumeIfPaused() {
        if (paused) {
            Set<TopicPartition> stillAssigned = new HashSet<>(consumer.paused());
            // Resuming a partition revoked meanwhile would throw.
            stillAssigned.retainAll(consumer.assignment());
            consumer.resume(stillAssigned);
            paused = false;
        }
    }

    private void hold(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            held.addLast(record);
        }
    }

    private void acknowledge(ConsumerRecord<String, byte[]> record) {
        uncommitted.put(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
        commitUncommitted();
    }

    private void commitUncommitted() {
        if (uncommitted.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(uncommitted));
            uncommitted.clear();
        } catch (RetriableException | RebalanceInProgressException | CommitFailedException e) {
            // Kept for the next commit; if the partitions move, the rebalance listener settles them.
            log.warn("Committing {} failed, trying again with the next commit: {}", uncommitted, e.toString());
        }
    }

    private void commitBeforeClosing() {
        for (int attempt = 0; attempt < 2 && !uncommitted.isEmpty(); attempt++) {
            try {
                commitUncommitted();
            } catch (WakeupException e) {
                // close()'s wakeup, consumed by this call: the next one goes through.
            } catch (KafkaException e) {
                log.warn("Could not commit {} before closing; those records are pushed again: {}", uncommitted,
                        e.toString());
                return;
            }
        }
    }

    private Duration doubled(Duration backoff) {
        Duration max = settings.maxBackoff();
        return backoff.compareTo(max.dividedBy(2)) >= 0 ? max : backoff.multipliedBy(2);
    }

    private final class HeldRecordsRebalanceListener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>(uncommitted);
            leaving.keySet().retainAll(partitions);
            if (!leaving.isEmpty()) {
                // The last moment these acknowledgements can be committed by this member.
                try {
                    consumer.commitSync(leaving);
                } catch (KafkaException e) {
                    log.warn("Could not commit {} on revocation; the new owner pushes those records again: {}",
                            leaving, e.toString());
                }
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Already someone else's: committing could overwrite the new owner's progress.
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            held.removeIf(record -> partitions.contains(new TopicPartition(record.topic(), record.partition())));
            uncommitted.keySet().removeAll(partitions);
        }
    }
}
