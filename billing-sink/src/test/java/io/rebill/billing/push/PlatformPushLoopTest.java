package io.rebill.billing.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rebill.billing.BillingMeters;
import io.rebill.billing.push.RecordingWebhookReceiver.Delivery;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.NumberState;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.billing.retry.Sleeper;
import io.rebill.topics.Topics;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PlatformPushLoopTest {

    private static final Map<String, String> SERDE_CONFIG = Map.of("schema.registry.url", "mock://push-test");
    private static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");

    private final Topics topics = Topics.create(SERDE_CONFIG);
    private final TopicPartition access0 = new TopicPartition(topics.walletAccess.name(), 0);
    private final TopicPartition access1 = new TopicPartition(topics.walletAccess.name(), 1);
    private final TopicPartition numbers0 = new TopicPartition(topics.walletNumbers.name(), 0);

    // Signatures and waits run on this clock; only the sleeper moves it, so time is exact.
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private volatile Runnable onSleep = () -> { };
    private final Sleeper sleeper = duration -> {
        sleeps.add(duration);
        clock.advance(duration);
        onSleep.run();
    };

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private RecordingWebhookReceiver receiver;
    private PlatformPushLoop loop;
    private Thread loopThread;

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.close();
            loopThread.join(5_000);
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void pushesAnOnHoldAccessChangeThenANumberReleaseAndCommitsEach() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        AccessStatus onHold = WalletRecords.access("sub-1", AccessState.ON_HOLD, T0);
        PhoneNumberStatus released = WalletRecords.number("+15551230001", NumberState.RELEASED, T0.plusSeconds(5))
                .setHeldSince(T0.minus(Duration.ofDays(30)))
                .setReleasedAt(T0.plusSeconds(5))
                .setReason("unpaid")
                .build();
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(accessRecord(access0, 0, onHold));
        });
        consumer.schedulePollTask(() -> consumer.addRecord(numberRecord(numbers0, 0, released)));

        start(settings(receiver.url()), clock, sleeper);

        await().until(() -> committed(numbers0) != null);
        PlatformEvent accessEvent = PlatformEventMapper.accessChanged(onHold).orElseThrow();
        PlatformEvent numberEvent = PlatformEventMapper.numberChanged(released).orElseThrow();
        List<Delivery> deliveries = receiver.deliveries();
        assertThat(deliveries).extracting(Delivery::eventId).containsExactly(accessEvent.id(), numberEvent.id());
        assertThat(deliveries).extracting(Delivery::eventType).containsExactly("access.changed", "number.released");
        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.signatureValid()).isTrue();
            assertThat(delivery.contentType()).isEqualTo("application/json");
            assertThat(delivery.userAgent()).isEqualTo("rebill-billing-sink");
        });
        assertThat(deliveries.get(0).body()).isEqualTo(PlatformEventMapper.toJson(accessEvent));
        assertThat(deliveries.get(0).json().at("/data/state").asText()).isEqualTo("ON_HOLD");
        assertThat(deliveries.get(1).body()).isEqualTo(PlatformEventMapper.toJson(numberEvent));
        assertThat(deliveries.get(1).json().at("/data/releasedAt").asText()).isEqualTo(T0.plusSeconds(5).toString());
        assertThat(committed(access0)).isEqualTo(1);
        assertThat(committed(numbers0)).isEqualTo(1);
        assertThat(List.of(loop.pushed(), loop.retries(), loop.skipped())).containsExactly(2L, 0L, 0L);
    }

    @Test
    void retriesTheSameEventWithDoublingBackoffThenMovesOnInOrder() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        AtomicInteger requests = new AtomicInteger();
        receiver.respondWith(delivery -> requests.incrementAndGet() <= 2 ? 500 : 200);
        List<AccessStatus> produced = List.of(
                WalletRecords.access("sub-1", AccessState.ON_HOLD, T0),
                WalletRecords.access("sub-2", AccessState.BLOCKED_WORKSPACE_FUNDS, T0.plusSeconds(1)),
                WalletRecords.access("sub-1", AccessState.BLOCKED_SUBACCOUNT_FUNDS, T0.plusSeconds(2)),
                WalletRecords.access("sub-1", AccessState.ALLOWED, T0.plusSeconds(3)));
        consumer.schedulePollTask(() -> {
            assignAll();
            for (int offset = 0; offset < produced.size(); offset++) {
                consumer.addRecord(accessRecord(access0, offset, produced.get(offset)));
            }
        });
        List<Set<TopicPartition>> pausedWhileWaiting = new CopyOnWriteArrayList<>();
        List<Long> committedWhileWaiting = new CopyOnWriteArrayList<>();
        onSleep = () -> {
            pausedWhileWaiting.add(consumer.paused());
            committedWhileWaiting.add(committed(access0));
        };

        start(settings(receiver.url()), clock, sleeper);

        await().until(() -> Long.valueOf(4).equals(committed(access0)));
        List<String> ids = produced.stream().map(s -> PlatformEventMapper.accessChanged(s).orElseThrow().id()).toList();
        assertThat(receiver.eventIds()).containsExactly(ids.get(0), ids.get(0), ids.get(0), ids.get(1), ids.get(2),
                ids.get(3));
        assertThat(receiver.deliveries()).allMatch(Delivery::signatureValid);

        // The waits between attempts, on a clock only the sleeper moves: 1s, then 2s.
        List<Instant> arrivals = receiver.deliveries().stream().map(Delivery::receivedAt).toList();
        assertThat(Duration.between(arrivals.get(0), arrivals.get(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.between(arrivals.get(1), arrivals.get(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(arrivals.subList(2, 6)).containsOnly(arrivals.get(2));
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(3));
        assertThat(sleeps).allMatch(slice -> slice.compareTo(PlatformPushLoop.KEEP_ALIVE_SLICE) <= 0);

        // Waiting kept the consumer polling with everything paused, and committed nothing.
        assertThat(pausedWhileWaiting).isNotEmpty().allMatch(paused -> paused.equals(consumer.assignment()));
        assertThat(committedWhileWaiting).containsOnlyNulls();
        assertThat(consumer.paused()).isEmpty();
        assertThat(List.of(loop.pushed(), loop.retries(), loop.skipped())).containsExactly(4L, 2L, 0L);
    }

    @Test
    void waitsForAReceiverThatIsDownAndDeliversWhenItIsUp() throws Exception {
        int port = PlatformWebhookClientTest.freePort();
        AccessStatus onHold = WalletRecords.access("sub-1", AccessState.ON_HOLD, T0);
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(accessRecord(access0, 0, onHold));
        });
        List<Long> committedWhileDown = new CopyOnWriteArrayList<>();
        onSleep = () -> {
            if (receiver == null) {
                committedWhileDown.add(committed(access0));
                try {
                    receiver = RecordingWebhookReceiver.start(clock, port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        start(settings(RecordingWebhookReceiver.url(port)), clock, sleeper);

        await().until(() -> committed(access0) != null);
        assertThat(committedWhileDown).containsExactly((Long) null);
        assertThat(receiver.eventIds()).containsExactly(PlatformEventMapper.accessEventId(onHold));
        assertThat(receiver.deliveries()).allMatch(Delivery::signatureValid);
        assertThat(committed(access0)).isEqualTo(1);
        assertThat(List.of(loop.pushed(), loop.retries())).containsExactly(1L, 1L);
    }

    @Test
    void skipsAndCommitsUndecodableRecordsAndPushesNothingForTombstonesOrUnknownStates() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        AccessStatus onHold = WalletRecords.access("sub-1", AccessState.ON_HOLD, T0);
        PhoneNumberStatus active = WalletRecords.number("+15551230001", NumberState.ACTIVE, T0)
                .setRenewsAt(T0.plus(Duration.ofDays(30)))
                .build();
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(record(access0, 0, "sub-1", "not avro at all".getBytes(UTF_8)));
            consumer.addRecord(record(access0, 1, "sub-1", withUnregisteredSchemaId()));
            consumer.addRecord(accessRecord(access0, 2, onHold));
            consumer.addRecord(record(access0, 3, "sub-9", null));
            consumer.addRecord(numberRecord(numbers0, 0,
                    WalletRecords.number("+15551230001", NumberState.UNKNOWN, T0).build()));
            consumer.addRecord(numberRecord(numbers0, 1, active));
        });

        start(settings(receiver.url()), clock, sleeper);

        await().until(() -> Long.valueOf(4).equals(committed(access0)) && Long.valueOf(2).equals(committed(numbers0)));
        assertThat(receiver.eventIds()).containsExactlyInAnyOrder(PlatformEventMapper.accessEventId(onHold),
                PlatformEventMapper.numberEventId(active));
        assertThat(List.of(loop.pushed(), loop.retries(), loop.skipped())).containsExactly(2L, 0L, 3L);
    }

    @Test
    void pushesNothingElseBeforeThePreviousRecordIsAcknowledged() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        CountDownLatch acknowledge = receiver.holdResponses();
        AccessStatus first = WalletRecords.access("sub-1", AccessState.ON_HOLD, T0);
        PhoneNumberStatus second = WalletRecords.number("+15551230001", NumberState.ON_HOLD, T0).build();
        AccessStatus third = WalletRecords.access("sub-1", AccessState.ALLOWED, T0.plusSeconds(1));
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(accessRecord(access0, 0, first));
            consumer.addRecord(numberRecord(numbers0, 0, second));
            consumer.addRecord(accessRecord(access0, 1, third));
        });

        start(settings(receiver.url()), clock, sleeper);

        await().until(() -> receiver.deliveries().size() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> receiver.deliveries().size() == 1 && committed(access0) == null
                        && committed(numbers0) == null);
        acknowledge.countDown();

        await().until(() -> Long.valueOf(2).equals(committed(access0)) && Long.valueOf(1).equals(committed(numbers0)));
        assertThat(receiver.eventIds()).hasSize(3).containsSubsequence(
                PlatformEventMapper.accessEventId(first), PlatformEventMapper.accessEventId(third));
        assertThat(receiver.maxConcurrentRequests()).isEqualTo(1);
        assertThat(loop.pushed()).isEqualTo(3);
    }

    @Test
    void closeDuringARetryWaitReturnsPromptlyWithoutCommitting() throws Exception {
        receiver = RecordingWebhookReceiver.start(Clock.systemUTC());
        receiver.respondWith(delivery -> 503);
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(accessRecord(access0, 0, WalletRecords.access("sub-1", AccessState.ON_HOLD, T0)));
        });
        PlatformPushSettings slowRetries = new PlatformPushSettings(receiver.url(), RecordingWebhookReceiver.SECRET,
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(5));

        start(slowRetries, Clock.systemUTC(), Sleeper.system());
        await().until(() -> loop.retries() == 1);
        assertThat(committed(access0)).isNull();

        long closing = System.nanoTime();
        loop.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(closeTook).isLessThan(Duration.ofSeconds(1));
        // close() returns when the loop is done; the thread itself may need a moment to end.
        loopThread.join(1_000);
        assertThat(loopThread.isAlive()).isFalse();
        assertThat(consumer.closed()).isTrue();
        assertThat(receiver.deliveries()).hasSize(1);
        assertThat(loop.pushed()).isZero();
        loop = null; // already closed: nothing left for stop()
    }

    @Test
    void dropsTheRecordsOfAPartitionRevokedDuringARetryWaitAndGoesOn() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        AccessStatus stuck = WalletRecords.access("sub-1", AccessState.ON_HOLD, T0);
        AccessStatus behindStuck = WalletRecords.access("sub-1", AccessState.ALLOWED, T0.plusSeconds(1));
        AccessStatus otherPartition = WalletRecords.access("sub-2", AccessState.ON_HOLD, T0);
        AccessStatus afterRebalance = WalletRecords.access("sub-2", AccessState.ALLOWED, T0.plusSeconds(2));
        String stuckId = PlatformEventMapper.accessEventId(stuck);
        receiver.respondWith(delivery -> delivery.eventId().equals(stuckId) ? 500 : 200);
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(accessRecord(access0, 0, stuck));
            consumer.addRecord(accessRecord(access0, 1, behindStuck));
            consumer.addRecord(accessRecord(access1, 0, otherPartition));
        });
        onSleep = () -> {
            onSleep = () -> { };
            // Run by the loop's next keep-alive poll, as a real rebalance would be.
            consumer.schedulePollTask(() -> consumer.rebalance(List.of(access1, numbers0)));
            consumer.schedulePollTask(() -> consumer.addRecord(accessRecord(access1, 1, afterRebalance)));
        };

        start(settings(receiver.url()), clock, sleeper);

        await().until(() -> Long.valueOf(2).equals(committed(access1)));
        assertThat(receiver.eventIds())
                .contains(stuckId, PlatformEventMapper.accessEventId(otherPartition),
                        PlatformEventMapper.accessEventId(afterRebalance))
                .doesNotContain(PlatformEventMapper.accessEventId(behindStuck));
        assertThat(committed(access0)).isNull();
        // MockConsumer keeps the revoked partition in paused(); what matters is the assigned ones.
        assertThat(consumer.paused()).doesNotContainAnyElementsOf(consumer.assignment());
        assertThat(loop.pushed()).isEqualTo(2);
    }

    @Test
    void waitsOutAnUnreachableSchemaRegistryInsteadOfSkipping() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        Topics unreachableRegistry = Topics.create(Map.of("schema.registry.url",
                "http://127.0.0.1:" + PlatformWebhookClientTest.freePort()));
        byte[] framedWithSchemaId1 = ByteBuffer.allocate(6).put((byte) 0).putInt(1).put((byte) 2).array();
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(record(access0, 0, "sub-1", framedWithSchemaId1));
        });

        loop = new PlatformPushLoop(consumer, unreachableRegistry, settings(receiver.url()),
                new PlatformWebhookClient(settings(receiver.url()), clock), clock, sleeper);
        loopThread = new Thread(loop, "push-loop-test");
        loopThread.start();

        await().until(() -> loop.retries() >= 3);
        assertThat(loop.skipped()).isZero();
        assertThat(committed(access0)).isNull();
        assertThat(receiver.deliveries()).isEmpty();
    }

    @Test
    void countsPushesRetriesAndSkippedRecordsAsBillingMeters() throws Exception {
        receiver = RecordingWebhookReceiver.start(clock);
        AtomicInteger requests = new AtomicInteger();
        receiver.respondWith(delivery -> requests.incrementAndGet() == 1 ? 500 : 200);
        consumer.schedulePollTask(() -> {
            assignAll();
            consumer.addRecord(accessRecord(access0, 0, WalletRecords.access("sub-1", AccessState.ON_HOLD, T0)));
            consumer.addRecord(record(access0, 1, "sub-2", "not avro at all".getBytes(UTF_8)));
            consumer.addRecord(accessRecord(access0, 2, WalletRecords.access("sub-3", AccessState.ALLOWED, T0)));
        });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        start(settings(receiver.url()), clock, sleeper);
        BillingMeters.registerPush(registry, loop);

        await().until(() -> Long.valueOf(3).equals(committed(access0)));
        assertThat(registry.get(BillingMeters.PUSHES).functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get(BillingMeters.PUSH_RETRIES).functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get(BillingMeters.PUSH_SKIPPED).functionCounter().count()).isEqualTo(1.0);
    }

    private void start(PlatformPushSettings settings, Clock loopClock, Sleeper loopSleeper) {
        loop = new PlatformPushLoop(consumer, topics, settings, new PlatformWebhookClient(settings, loopClock),
                loopClock, loopSleeper);
        loopThread = new Thread(loop, "push-loop-test");
        loopThread.start();
    }

    private static PlatformPushSettings settings(URI url) {
        return PlatformPushSettings.of(url, RecordingWebhookReceiver.SECRET);
    }

    /** The group assigns every partition to this consumer; call from a poll task. */
    private void assignAll() {
        List<TopicPartition> partitions = List.of(access0, access1, numbers0);
        consumer.updateBeginningOffsets(Map.of(access0, 0L, access1, 0L, numbers0, 0L));
        consumer.rebalance(partitions);
    }

    private Long committed(TopicPartition partition) {
        OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
        return committed == null ? null : committed.offset();
    }

    private ConsumerRecord<String, byte[]> accessRecord(TopicPartition partition, long offset, AccessStatus status) {
        return record(partition, offset, status.getSubAccountId(),
                topics.walletAccess.valueSerde().serializer().serialize(partition.topic(), status));
    }

    private ConsumerRecord<String, byte[]> numberRecord(TopicPartition partition, long offset,
                                                        PhoneNumberStatus status) {
        return record(partition, offset, status.getNumber(),
                topics.walletNumbers.valueSerde().serializer().serialize(partition.topic(), status));
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset, String key,
                                                         byte[] value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value);
    }

    /** The Confluent wire format, but naming a schema id no registry has. */
    private static byte[] withUnregisteredSchemaId() {
        return ByteBuffer.allocate(8).put((byte) 0).putInt(987_654).put(new byte[] {2, 4, 6}).array();
    }
}
