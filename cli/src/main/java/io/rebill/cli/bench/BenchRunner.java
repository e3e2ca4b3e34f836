package io.rebill.cli.bench;

import io.rebill.cli.demo.CdrGenerator;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.demo.DemoRunner;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.ConsumerGroupProgress;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.streams.StreamsDefaults;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** The phases of {@code rebill bench} on a {@link LocalStack} whose infrastructure is started. */
final class BenchRunner {

    static final String PASSTHROUGH_TOPIC = "bench.passthrough";
    static final String PASSTHROUGH_APP = "rebill-bench-passthrough";
    static final String FLIP_WORKSPACE = "bench-flip";
    static final String FLIP_PREFIX = "bench-flip-";
    /** A re-billed workspace with many sub-accounts, so that a workspace's size shows in the figures. */
    static final String AGENCY_WORKSPACE = "bench-agency";
    /** Enough for any run: the agency's sub-accounts are never blocked, so every charge is applied the same way. */
    private static final long AGENCY_OPENING_MICROS = 100_000_000_000_000L;
    private static final Pattern LATENCY_ENTRY = Pattern.compile(":lat-(\\d+):v");
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final long SEED = 20261122L;

    /** SMS prices the bench adds to the demo's voice rate card, so the messages are charged too. */
    static final List<RateCardEntry> SMS_RATES = List.of(
            perUnit("sms-out-nanp", Direction.OUTBOUND, "1", 7_900),
            perUnit("sms-in-nanp", Direction.INBOUND, "1", 7_500),
            perUnit("sms-out-uk", Direction.OUTBOUND, "44", 45_000));

    private final LocalStack stack;
    private final Topics topics;
    private final PrintWriter out;
    private final Instant periodStart;
    private final int agencySubAccounts;
    private final List<CdrGenerator.Caller> callers;

    /** @param agencySubAccounts sub-accounts of {@link #AGENCY_WORKSPACE}, which call next to the demo's five */
    BenchRunner(LocalStack stack, PrintWriter out, int agencySubAccounts) {
        this.stack = stack;
        this.topics = stack.topics();
        this.out = out;
        this.periodStart = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        this.agencySubAccounts = agencySubAccounts;
        this.callers = callers(agencySubAccounts);
    }

    /**
     * The demo's sub-accounts with their weights, and the agency's: a few large clients and a long
     * tail, the {@code i}-th weighing {@code max(1, 100 / i)} against the demo's 100 in all (so with
     * 1,000 of them the agency makes about 93 calls in 100).
     */
    static List<CdrGenerator.Caller> callers(int agencySubAccounts) {
        List<CdrGenerator.Caller> callers = new ArrayList<>(CdrGenerator.demoCallers());
        for (int i = 1; i <= agencySubAccounts; i++) {
            callers.add(new CdrGenerator.Caller(AGENCY_WORKSPACE, agencySubAccount(i), Math.max(1, 100 / i)));
        }
        return callers;
    }

    static String agencySubAccount(int i) {
        return String.format(Locale.ROOT, "client-%05d", i);
    }

    private static RateCardEntry perUnit(String id, Direction direction, String prefix, long micros) {
        return RateCardEntry.newBuilder().setRateId(id).setVersion(1).setUsageType(UsageType.SMS)
                .setDirection(direction).setDestinationPrefix(prefix).setCurrency(DemoData.CURRENCY)
                .setUnitPriceMicros(micros).setValidFrom(DemoData.RATES_VALID_FROM).build();
    }

    /**
     * The demo's rate card, settings and opening balances, the SMS prices, and the flip workspace: re-billed,
     * its own wallet well funded, and 1 µ in each flip sub-account's wallet. The flip sub-accounts live in a
     * workspace of their own so that they do not make the demo workspaces' wallet state bigger.
     */
    void publishReferenceData(int flipAccounts) {
        new DemoRunner(stack).publishReferenceData();
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            SMS_RATES.forEach(rate -> producer.send(topics.rateCard, RateCardKey.of(rate), rate));
            RebillingSettings settings = RebillingSettings.newBuilder().setWorkspaceId(FLIP_WORKSPACE)
                    .setRebillingEnabled(true).setUpdatedAt(Instant.now()).build();
            producer.send(topics.rebillingSettings, RebillingSettingsKey.of(settings), settings);
            producer.send(topics.walletCommands, FLIP_WORKSPACE,
                    topUp(FLIP_WORKSPACE, "bench-flip-open", null, 1_000_000_000_000L));
            for (int i = 0; i < flipAccounts; i++) {
                producer.send(topics.walletCommands, FLIP_WORKSPACE,
                        topUp(FLIP_WORKSPACE, "bench-flip-open:" + i, FLIP_PREFIX + i, 1L));
            }
            if (agencySubAccounts > 0) {
                RebillingSettings agency = RebillingSettings.newBuilder().setWorkspaceId(AGENCY_WORKSPACE)
                        .setRebillingEnabled(true).setUpdatedAt(Instant.now()).build();
                producer.send(topics.rebillingSettings, RebillingSettingsKey.of(agency), agency);
                producer.send(topics.walletCommands, AGENCY_WORKSPACE,
                        topUp(AGENCY_WORKSPACE, "bench-agency-open", null, AGENCY_OPENING_MICROS));
                for (int i = 1; i <= agencySubAccounts; i++) {
                    producer.send(topics.walletCommands, AGENCY_WORKSPACE, topUp(AGENCY_WORKSPACE,
                            "bench-agency-open:" + i, agencySubAccount(i), AGENCY_OPENING_MICROS));
                }
            }
            producer.flush();
        }
    }

    private static WalletCommand topUp(String workspace, String commandId, String subAccount, long micros) {
        return WalletCommand.newBuilder().setCommandId(commandId).setWorkspaceId(workspace)
                .setSubAccountId(subAccount).setIssuedAt(Instant.now()).setIssuedBy("rebill bench")
                .setPayload(new TopUp(micros, DemoData.CURRENCY, "bench", null)).build();
    }

    /** Result of producing: how long it took and, per partition, the offset after the last record. */
    record Preproduced(double seconds, Map<TopicPartition, Long> nextOffsets) {
    }

    /** Phase 1: {@code cdrs} CDRs and {@code messages} SMS, interleaved, as fast as the broker takes them. */
    Preproduced preProduce(long cdrs, long messages) {
        CdrGenerator calls = new CdrGenerator(SEED, callers, periodStart, Duration.ofDays(1),
                "bench-%d", "bench-call-%d");
        MessageGenerator sms = new MessageGenerator(SEED + 1, callers, periodStart,
                Duration.ofDays(1));
        try (Sender sender = new Sender()) {
            long start = System.nanoTime();
            long total = cdrs + messages;
            long sentCdrs = 0;
            long sentMessages = 0;
            for (long i = 0; i < total; i++) {
                // Spread messages evenly among the calls.
                boolean message = sentMessages < messages
                        && (sentCdrs >= cdrs || (double) sentMessages / (i + 1) < (double) messages / total);
                if (message) {
                    String id = "bench-sms-" + (++sentMessages);
                    sender.send(topics.messagesRaw, id, sms.next(id));
                } else {
                    CallDetailRecord cdr = calls.next();
                    sentCdrs++;
                    sender.send(topics.cdrRaw, ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr);
                }
                if (i > 0 && i % 100_000 == 0) {
                    out.printf(Locale.ROOT, "  produced %,d of %,d%n", i, total);
                    out.flush();
                }
            }
            Map<TopicPartition, Long> offsets = sender.flush();
            return new Preproduced((System.nanoTime() - start) / 1e9, offsets);
        }
    }

    /** How long a phase took from its applications' start, and how much of that was start-up (until RUNNING). */
    record Timed(double seconds, double startupSeconds) {
    }

    /** Phase 2: bytes in, bytes out, exactly-once v2; from start until every input offset is committed. */
    Timed passthrough(Map<TopicPartition, Long> inputs) throws Exception {
        try (Admin admin = stack.admin()) {
            admin.createTopics(List.of(new NewTopic(PASSTHROUGH_TOPIC, Topics.DEFAULT_PARTITIONS, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(List.of(topics.cdrRaw.name(), topics.messagesRaw.name()),
                            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .to(PASSTHROUGH_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            Properties config = stack.serviceConfig();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, PASSTHROUGH_APP);
            config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            // The same producer batches as the pipeline's applications, so the ratio compares like with like.
            config.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), StreamsDefaults.PRODUCER_BATCH_BYTES);
            config.put(StreamsConfig.STATE_DIR_CONFIG,
                    stack.settings().dataDir().resolve("streams-bench").toAbsolutePath().toString());
            config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            long start = System.nanoTime();
            try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
                streams.start();
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() - start > 120_000_000_000L) {
                        throw new IllegalStateException("The passthrough topology did not start: " + streams.state());
                    }
                    Thread.sleep(10);
                }
                double startup = (System.nanoTime() - start) / 1e9;
                ConsumerGroupProgress.awaitCommitted(admin, PASSTHROUGH_APP, inputs, TIMEOUT);
                double seconds = (System.nanoTime() - start) / 1e9;
                streams.close(Duration.ofSeconds(30));
                return new Timed(seconds, startup);
            }
        }
    }

    /** Phase 3: starts the services on the pre-produced data; from start until all of it is processed. */
    Timed pipeline(Map<TopicPartition, Long> inputs) throws InterruptedException {
        long start = System.nanoTime();
        stack.startServices();
        double startup = (System.nanoTime() - start) / 1e9;
        awaitProcessed(inputs);
        return new Timed((System.nanoTime() - start) / 1e9, startup);
    }

    private void awaitProcessed(Map<TopicPartition, Long> inputs) throws InterruptedException {
        try (Admin admin = stack.admin()) {
            new PipelineProgress(stack.clientConfig(), topics, admin, TIMEOUT).awaitProcessed(inputs);
        }
    }

    /** What the latency phase measured. */
    record Latency(double achievedRate, double seconds, Percentiles balance, Percentiles access) {
    }

    /**
     * Phase 4, with the services running: CDRs at {@code rate} for {@code seconds}, each one's send time
     * kept by its index (in its CDR id); every {@code flipEvery}-th CDR instead charges one of the
     * flip sub-accounts, whose 1 µ balance it empties, so its access status changes.
     */
    Latency latency(double rate, int seconds, int flipAccounts) throws Exception {
        int total = (int) Math.max(1, Math.round(rate * seconds));
        int flipEvery = Math.max(1, total / Math.max(1, flipAccounts));
        long[] sentAt = new long[total];
        long[] flipSentAt = new long[flipAccounts];
        long[] balanceSeenAt = new long[total];
        long[] accessSeenAt = new long[flipAccounts];
        Watcher watcher = new Watcher(balanceSeenAt, accessSeenAt);
        watcher.start();
        try {
            watcher.awaitAssigned();
            CdrGenerator calls = new CdrGenerator(SEED + 2, callers, periodStart,
                    Duration.ofDays(1), "lat-%d", "lat-call-%d");
            Map<TopicPartition, Long> produced;
            long start;
            long end;
            try (Sender sender = new Sender()) {
                start = System.nanoTime();
                int flips = 0;
                for (int i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    CallDetailRecord cdr;
                    boolean flip = i % flipEvery == flipEvery - 1 && flips < flipAccounts;
                    if (flip) {
                        cdr = flipCdr(flips);
                        flipSentAt[flips++] = System.nanoTime();
                    } else {
                        CallDetailRecord generated = calls.next();
                        cdr = CallDetailRecord.newBuilder(generated).setCdrId("lat-" + i).build();
                        sentAt[i] = System.nanoTime();
                    }
                    sender.send(topics.cdrRaw, ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr);
                }
                end = System.nanoTime();
                produced = sender.flush();
            }
            awaitProcessed(produced);
            watcher.drain();
            watcher.close();
            double elapsed = (end - start) / 1e9;
            return new Latency(total / elapsed, elapsed, Percentiles.of(differences(sentAt, balanceSeenAt)),
                    Percentiles.of(differences(flipSentAt, accessSeenAt)));
        } finally {
            watcher.close();
        }
    }

    /** A one-minute outbound US call of a flip sub-account: charged, so its 1 µ balance goes below zero. */
    private CallDetailRecord flipCdr(int account) {
        Instant startTime = Instant.now().minusSeconds(120);
        return CallDetailRecord.newBuilder().setCarrierId("carrier-a").setCdrId("flip-" + account).setVersion(1)
                .setWorkspaceId(FLIP_WORKSPACE).setSubAccountId(FLIP_PREFIX + account).setCallId("flip-call-" + account)
                .setService(CallService.VOICE).setDirection(Direction.OUTBOUND).setFromNumber("+14157670999")
                .setToNumber("+12125550123").setStartTime(startTime).setAnswerTime(startTime.plusSeconds(5))
                .setEndTime(startTime.plusSeconds(65)).setBillableSeconds(60)
                .setDisposition(CallDisposition.ANSWERED).build();
    }

    /** Observed minus sent, for every record both sent and observed. */
    static long[] differences(long[] sent, long[] seen) {
        long[] out = new long[sent.length];
        int n = 0;
        for (int i = 0; i < sent.length; i++) {
            if (sent[i] != 0 && seen[i] != 0) {
                out[n++] = Math.max(0, seen[i] - sent[i]);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Reads wallet.balances and wallet.access (read_committed) from their ends and notes when each awaited record shows up. */
    private final class Watcher extends Thread implements AutoCloseable {
        private final long[] balanceSeenAt;
        private final long[] accessSeenAt;
        private final Topic<String, WalletBalance> balances = topics.walletBalances;
        private final Topic<String, AccessStatus> access = topics.walletAccess;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean assigned;
        private volatile boolean running = true;
        private volatile long lastRecordAt = System.nanoTime();

        Watcher(long[] balanceSeenAt, long[] accessSeenAt) {
            super("bench-latency-watcher");
            setDaemon(true);
            this.balanceSeenAt = balanceSeenAt;
            this.accessSeenAt = accessSeenAt;
        }

        @Override
        public void run() {
            Map<String, Object> config = new HashMap<>(stack.clientConfig());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(balances.name(), access.name())) {
                    for (PartitionInfo info : consumer.partitionsFor(topic)) {
                        partitions.add(new TopicPartition(topic, info.partition()));
                    }
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                assigned = true;
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        lastRecordAt = now;
                        if (record.topic().equals(balances.name())) {
                            WalletBalance balance = balances.valueSerde().deserializer()
                                    .deserialize(record.topic(), record.value());
                            if (balance != null && balance.getLastEntryId() != null) {
                                Matcher m = LATENCY_ENTRY.matcher(balance.getLastEntryId());
                                if (m.find()) {
                                    int index = Integer.parseInt(m.group(1));
                                    if (index < balanceSeenAt.length && balanceSeenAt[index] == 0) {
                                        balanceSeenAt[index] = now;
                                    }
                                }
                            }
                        } else {
                            AccessStatus status = access.valueSerde().deserializer()
                                    .deserialize(record.topic(), record.value());
                            if (status != null && status.getState() != AccessState.ALLOWED
                                    && status.getSubAccountId().startsWith(FLIP_PREFIX)) {
                                int index = Integer.parseInt(status.getSubAccountId().substring(FLIP_PREFIX.length()));
                                if (index < accessSeenAt.length && accessSeenAt[index] == 0) {
                                    accessSeenAt[index] = now;
                                }
                            }
                        }
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
                assigned = true;
            }
        }

        void awaitAssigned() throws InterruptedException {
            while (!assigned) {
                Thread.sleep(10);
            }
            check();
        }

        /** Waits until no record arrived for a second (the pipeline has already committed everything). */
        void drain() throws InterruptedException {
            while (System.nanoTime() - lastRecordAt < 1_000_000_000L && failure.get() == null) {
                Thread.sleep(100);
            }
            check();
        }

        private void check() {
            if (failure.get() != null) {
                throw new IllegalStateException("Reading wallet.balances/wallet.access failed: "
                        + failure.get().getMessage(), failure.get());
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            join(10_000);
        }
    }

    /** A plain idempotent producer that keeps only the highest offset per partition, not a future per record. */
    private final class Sender implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        Sender() {
            Map<String, Object> config = new HashMap<>(stack.clientConfig());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }

        <V> void send(Topic<String, V> topic, String key, V value) {
            byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
            byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), keyBytes, valueBytes), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    next.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1,
                            Math::max);
                }
            });
        }

        Map<TopicPartition, Long> flush() {
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("Producing failed: " + failure.get().getMessage(), failure.get());
            }
            return Map.copyOf(next);
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
