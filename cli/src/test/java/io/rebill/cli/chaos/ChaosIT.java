package io.rebill.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.demo.CdrGenerator;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.demo.DemoRunner;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.ledger.WalletIds;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chaos on the real broker: two metering-stream and two wallet-stream instances (one application
 * id each), every one a child JVM ({@link ServiceMain}), while seeded CDRs arrive in bursts.
 * Between bursts one random instance is killed with SIGKILL ({@code Process.destroyForcibly()}:
 * no shutdown hook, no close, its transaction left open) and a replacement started, alternately
 * on the dead instance's state folder and on a fresh one. Afterwards every billable CDR is charged
 * exactly once (or rejected once, for the rate card's reasons), every charge's cost + margin is
 * its price, every wallet's ledger adds up to its balance, and every balance is exactly the
 * opening balance less what the charges cost or were priced at, as if nothing had been killed.
 *
 * <p>billing-sink killed between Stripe's answer and its Kafka commit is {@code BillingSinkCrashIT}'s
 * subject (io.rebill.cli.billing), so it is not repeated here. The broker is also restarted once
 * mid-run (see {@link #BROKER_RESTART}). Not covered yet: refills (this run requests none).
 */
class ChaosIT {

    private static final long SEED = Long.getLong("rebill.chaos.seed", 20261122L);
    private static final int BURSTS = 6;
    private static final int CDRS_PER_BURST = Integer.getInteger("rebill.chaos.burst", 500);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /**
     * Also restart the broker once, mid-run (on by default; {@code -Drebill.chaos.brokerRestart=false}
     * leaves it out). This test found that two metering instances registering the charge schema at
     * the same moment got a 409 from Apicurio that the serde took for "incompatible", dead-lettering
     * a valid CDR about one run in four; RestSchemaRegistryClient now resolves that 409 to the id.
     */
    private static final boolean BROKER_RESTART =
            Boolean.parseBoolean(System.getProperty("rebill.chaos.brokerRestart", "true"));
    private static final Instant PERIOD_START = Instant.parse("2026-11-03T00:00:00Z");

    static Path dataDir;
    static LocalStack stack;
    static Topics topics;
    static final List<Instance> running = new ArrayList<>();
    static int generation;

    /** One child JVM running one service. */
    record Instance(String service, String name, Path stateDir, Process process) {
        @Override
        public String toString() {
            return name + " (pid " + process.pid() + ", state " + stateDir.getFileName() + ")";
        }
    }

    @BeforeAll
    static void startInfrastructureAndFourInstances() throws Exception {
        dataDir = Files.createTempDirectory("rebill-chaos-it-");
        stack = new LocalStack(LocalStack.Settings.withFreePorts(dataDir)).startInfrastructure();
        topics = stack.topics();
        new DemoRunner(stack).publishReferenceData();
        for (String service : List.of("metering", "wallet")) {
            for (String suffix : List.of("a", "b")) {
                running.add(start(service, service + "-" + suffix));
            }
        }
        try (Admin admin = stack.admin()) {
            awaitMembers(admin, MeteringApp.APPLICATION_ID, 2);
            awaitMembers(admin, WalletApp.APPLICATION_ID, 2);
        }
    }

    @AfterAll
    static void stopAll() {
        running.forEach(i -> i.process().destroyForcibly());
        for (Instance i : running) {
            try {
                i.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (stack != null) {
            stack.close();
        }
        if (dataDir != null && !Boolean.getBoolean("rebill.chaos.keep")) {
            LocalStack.wipe(dataDir);
        }
    }

    @Test
    void shouldChargeEveryCdrExactlyOnceAndKeepEveryWalletExactWhileInstancesAreKilled() throws Exception {
        String seed = "seed " + SEED + " (rerun with -Drebill.chaos.seed=" + SEED + ")";
        long started = System.nanoTime();
        Random chaos = new Random(SEED);
        CdrGenerator generator = new CdrGenerator(SEED, CdrGenerator.demoCallers(), PERIOD_START, Duration.ofDays(1),
                "chaos-%06d", "chaos-call-%06d");
        List<CallDetailRecord> sent = new ArrayList<>();
        Map<TopicPartition, Long> produced = new HashMap<>();
        List<String> kills = new ArrayList<>();
        String brokerRestart = null;
        for (int burst = 0; burst < BURSTS; burst++) {
            try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
                for (int i = 0; i < CDRS_PER_BURST; i++) {
                    CallDetailRecord cdr = generator.next();
                    sent.add(cdr);
                    producer.send(topics.cdrRaw, ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr);
                }
                producer.flush().forEach((tp, next) -> produced.merge(tp, next, Math::max));
            }
            if (burst == BURSTS - 1) {
                break;
            }
            // Let the instances get into the burst, then kill one mid-processing.
            Thread.sleep(1_500 + chaos.nextInt(1_500));
            // Metering and wallet in turn, so each is killed at least twice; which instance, at random.
            String service = burst % 2 == 0 ? "metering" : "wallet";
            List<Instance> candidates = running.stream().filter(i -> i.service().equals(service)).toList();
            Instance victim = candidates.get(chaos.nextInt(candidates.size()));
            boolean sameStateDir = burst % 4 < 2;
            victim.process().destroyForcibly();
            assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).as("%s died", victim).isTrue();
            running.remove(victim);
            Instance replacement = sameStateDir ? start(service, victim.name())
                    : start(service, service + "-gen" + (++generation));
            running.add(replacement);
            kills.add("after burst " + (burst + 1) + ": SIGKILL " + victim + ", exit " + victim.process().exitValue()
                    + ", replaced by " + replacement);
            if (BROKER_RESTART && burst == BURSTS / 2) {
                // The broker too, once, mid-run: the services ride it out on their own.
                long down = System.nanoTime();
                stack.restartBroker();
                brokerRestart = "after burst " + (burst + 1) + ": broker restarted in "
                        + (System.nanoTime() - down) / 1_000_000 + " ms";
            }
        }
        System.out.printf("ChaosIT %s: %d CDRs in %d bursts, %d kills:%n  %s%n  %s%n", seed, sent.size(), BURSTS,
                kills.size(), String.join("\n  ", kills), brokerRestart);
        assertThat(kills).as(seed).hasSizeGreaterThanOrEqualTo(4);

        Map<String, Object> client = stack.clientConfig();
        try (Admin admin = stack.admin()) {
            // A killed instance replaced on a fresh state folder leaves its transaction open (nobody
            // fences its transactional id) until the broker aborts it: up to transaction.timeout.ms
            // plus the abort check interval. Until then read_committed readers, and so the end
            // offsets PipelineProgress waits for, stop short of it. So: processed, no transaction
            // open anywhere, then processed again up to the now complete ends.
            PipelineProgress progress = new PipelineProgress(client, topics, admin, TIMEOUT);
            progress.awaitProcessed(produced);
            awaitNoOpenTransactions(admin);
            progress.awaitProcessed(produced);
            awaitNoOpenTransactions(admin);
        }

        // Which CDRs should be charged: every billable one, except those the rate card cannot rate.
        Map<String, CallDetailRecord> billableByKey = new TreeMap<>();
        for (CallDetailRecord cdr : sent) {
            if (cdr.getBillableSeconds() > 0) {
                billableByKey.put(ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr);
            }
        }
        Set<String> rejectedKeys = new TreeSet<>();
        for (ConsumerRecord<String, DeadLetter> r : TopicReader.readAll(client, topics.chargesRejected, TIMEOUT)) {
            DeadLetter dl = r.value();
            String key = StandardCharsets.UTF_8.decode(dl.getKey().duplicate()).toString();
            assertThat(rejectedKeys.add(key)).as("%s: %s rejected once", seed, key).isTrue();
            CallDetailRecord cdr = billableByKey.get(key);
            assertThat(cdr).as("%s: rejected %s is a billable CDR this test sent", seed, key).isNotNull();
            // Only human outbound calls to China (no rate) or to malformed numbers are unratable.
            assertThat(cdr.getService()).as("%s: %s", seed, key).isEqualTo(CallService.VOICE);
            assertThat(cdr.getDirection()).as("%s: %s", seed, key).isEqualTo(Direction.OUTBOUND);
            assertThat(cdr.getToNumber().startsWith("+86") || cdr.getToNumber().length() == 6)
                    .as("%s: %s rejected (%s) for calling %s", seed, key, dl.getReasonCode(), cdr.getToNumber())
                    .isTrue();
        }
        Set<String> expectedChargeIds = new TreeSet<>();
        billableByKey.forEach((key, cdr) -> {
            if (!rejectedKeys.contains(key)) {
                expectedChargeIds.add(ChargeIds.forCdr(cdr.getCarrierId(), cdr.getCdrId(), cdr.getVersion()));
            }
        });

        // Every CDR charged exactly once: no duplicate, none missing, nothing extra.
        Map<String, RatedCharge> charges = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        for (ConsumerRecord<String, RatedCharge> r : TopicReader.readAll(client, topics.chargesRated, TIMEOUT)) {
            if (charges.put(r.value().getChargeId(), r.value()) != null) {
                duplicates.add(r.value().getChargeId());
            }
        }
        assertThat(duplicates).as("%s: charges written twice", seed).isEmpty();
        Set<String> missing = new TreeSet<>(expectedChargeIds);
        missing.removeAll(charges.keySet());
        Set<String> extra = new TreeSet<>(charges.keySet());
        extra.removeAll(expectedChargeIds);
        if (!missing.isEmpty()) {
            diagnose(missing, sent);
        }
        assertThat(missing).as("%s: CDRs never charged (of %d expected)", seed, expectedChargeIds.size()).isEmpty();
        assertThat(extra).as("%s: charges for no billable CDR sent", seed).isEmpty();
        assertThat(charges.size()).as("%s: most CDRs are charged", seed).isGreaterThan(sent.size() / 2);

        // cost + margin = price for every charge.
        assertThat(charges.values()).as(seed).allSatisfy(c ->
                assertThat(c.getCostMicros() + c.getMarginMicros()).as(c.getChargeId()).isEqualTo(c.getPriceMicros()));

        // Balances: the opening balances less exactly what was charged, as without a single kill.
        Map<String, Long> expectedBalances = new TreeMap<>(DemoData.openingBalances());
        for (RatedCharge c : charges.values()) {
            expectedBalances.merge(WalletIds.workspace(c.getWorkspaceId()), -c.getCostMicros(), Long::sum);
            if (c.getPriceMicros() != 0) {
                expectedBalances.merge(WalletIds.subAccount(c.getWorkspaceId(), c.getSubAccountId()),
                        -c.getPriceMicros(), Long::sum);
            }
        }
        Map<String, Long> balances = new TreeMap<>();
        TopicReader.readAll(client, topics.walletBalances, TIMEOUT)
                .forEach(r -> balances.put(r.value().getWalletId(), r.value().getBalanceMicros()));
        assertThat(balances).as("%s: latest balances", seed).isEqualTo(expectedBalances);

        // Each wallet's ledger adds up to its balance: no entry lost or written twice.
        Map<String, Long> ledgerSums = new TreeMap<>();
        Set<String> ledgerEntries = new TreeSet<>();
        List<String> repeated = new ArrayList<>();
        for (ConsumerRecord<String, LedgerEntry> r : TopicReader.readAll(client, topics.walletLedger, TIMEOUT)) {
            LedgerEntry e = r.value();
            ledgerSums.merge(e.getWalletId(), e.getAmountMicros(), Long::sum);
            if (!ledgerEntries.add(e.getEntryId())) {
                repeated.add(e.getEntryId());
            }
        }
        assertThat(repeated).as("%s: ledger entries written twice", seed).isEmpty();
        assertThat(ledgerSums).as("%s: ledger sums", seed).isEqualTo(balances);

        // Nothing reached the wallet that it could not read or apply.
        assertThat(TopicReader.readAll(client, topics.walletDeadLetter, TIMEOUT)).as(seed).isEmpty();
        assertThat(TopicReader.readAll(client, topics.walletRejected, TIMEOUT)).as(seed).isEmpty();
        assertThat(TopicReader.readAll(client, topics.meteringDeadLetter, TIMEOUT)).as(seed).isEmpty();

        System.out.printf("ChaosIT %s: %d charged, %d rejected, %d not billable, %d wallets, %d s%n",
                seed, charges.size(), rejectedKeys.size(), sent.size() - billableByKey.size(), balances.size(),
                (System.nanoTime() - started) / 1_000_000_000);
    }

    /** Starts a service instance in a child JVM on its own HTTP port, with {@code name}'s state folder. */
    private static Instance start(String service, String name) throws IOException {
        int port = freePort();
        Properties config = service.equals("metering") ? stack.meteringConfig(port) : stack.walletConfig(port, name);
        Path stateDir = dataDir.resolve("state").resolve(name);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        // A killed member leaves the group after 6 s (the broker's minimum) instead of 45 s.
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "1500");
        Path configFile = dataDir.resolve(name + "-" + System.nanoTime() + ".properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "ChaosIT " + name);
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ServiceMain.class.getName(), service,
                configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(name + ".log").toFile()))
                .start();
        return new Instance(service, name, stateDir, process);
    }

    /** Where a missing charge's traces are: its CDR, and any charge or ledger record, committed or not. */
    private static void diagnose(Set<String> missing, List<CallDetailRecord> sent) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<String> scanned = new ArrayList<>(List.of(topics.cdrRaw.name(), topics.chargesRated.name(),
                topics.walletLedger.name(), topics.chargesRejected.name(), topics.meteringDeadLetter.name()));
        try (Admin admin = stack.admin()) {
            admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(n -> n.startsWith(MeteringApp.APPLICATION_ID + "-")).sorted().forEach(scanned::add);
            System.out.printf("ChaosIT diagnose: metering committed %s%n", new HashMap<>(admin
                    .listConsumerGroupOffsets(MeteringApp.APPLICATION_ID).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)).toString().replaceAll("OffsetAndMetadata\\{offset=(\\d+)[^}]*}", "$1"));
        } catch (Exception e) {
            System.out.println("ChaosIT diagnose: " + e);
        }
        for (String topic : scanned) {
            try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                         new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                                 new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                                 new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                        && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        String text = new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.ISO_8859_1)
                                + " " + new String(r.key() == null ? new byte[0] : r.key(), StandardCharsets.ISO_8859_1);
                        for (String id : missing) {
                            String cdrId = id.split(":")[2];
                            if (text.contains(cdrId)) {
                                StringBuilder headers = new StringBuilder();
                                r.headers().forEach(h -> headers.append(' ').append(h.key()).append('=').append(
                                        h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
                                System.out.printf("ChaosIT diagnose %s: %s-%d@%d ts %d (uncommitted read)%s%n", id, topic,
                                        r.partition(), r.offset(), r.timestamp(), headers);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Until every partition's last stable offset is its high watermark: no transaction open on any topic. */
    private static void awaitNoOpenTransactions(Admin admin) throws Exception {
        Set<String> names = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        names.removeIf(name -> name.startsWith("__"));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(d ->
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> high = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS);
            List<TopicPartition> open = latest.keySet().stream()
                    .filter(tp -> stable.get(tp).offset() < high.get(tp).offset()).sorted(
                            java.util.Comparator.comparing(TopicPartition::toString)).toList();
            if (open.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Transactions still open on " + open + " after " + TIMEOUT);
            }
            Thread.sleep(250);
        }
    }

    private static void awaitMembers(Admin admin, String groupId, int members) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                        .get(groupId).get(10, TimeUnit.SECONDS);
                if (group.members().size() == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
            } catch (Exception e) {
                // not there yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(groupId + " does not have " + members + " members within " + TIMEOUT);
            }
            Thread.sleep(250);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
