package io.rebill.cli.chaos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rebill.billing.BillingConfig;
import io.rebill.billing.stripe.RefillMetadata;
import io.rebill.billing.stripe.StripeSettings;
import io.rebill.cli.WalletTotals;
import io.rebill.cli.billing.CrashingBillingSinkMain;
import io.rebill.cli.demo.CdrGenerator;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.demo.DemoRunner;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.ledger.WalletIds;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URLDecoder;
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
import java.util.stream.Collectors;
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
 * id each) and one billing-sink, every one a child JVM ({@link ServiceMain}), while seeded CDRs
 * arrive in bursts and Stripe is stubbed by WireMock in this JVM. Five of the demo's re-billed
 * wallets (four sub-accounts, cards on their agency's connected account, and one workspace, card
 * on the platform account) have auto-refill set just below their opening balance, so the traffic
 * makes each ask for several refills during the run, and billing-sink charges them.
 *
 * <p>Between bursts one instance is killed with SIGKILL ({@code Process.destroyForcibly()}: no
 * shutdown hook, no close, its transaction left open) and a replacement started: metering, wallet
 * and billing in turn; which metering or wallet instance, at random, and the replacement alternately
 * on the dead instance's state folder and on a fresh one. The first billing-sink is a
 * {@link CrashingBillingSinkMain} that halts right after Stripe's answer number
 * {@value #SINK_CRASH_AFTER}, before its commit: the deterministic crash between the payment and
 * the commit, which is then redone under the same idempotency key. It is replaced as soon as a
 * kill slot finds it dead, and billing's first slot waits for that halt instead of killing a sink.
 * Every replacement sink reuses the same instance id, so its transactional id fences the dead one.
 * The broker, in a child JVM of its own ({@link ChildJvmBroker}), is also killed with SIGKILL once
 * mid-run and started again on its data folder (see {@link #BROKER_RESTART}).
 *
 * <p>Afterwards every billable CDR is charged exactly once (or rejected once, for the rate card's
 * reasons), every charge's cost + margin is its price, every refill request is charged under its
 * own idempotency key and credited exactly once however often Stripe was called for it, every
 * wallet's ledger adds up to its balance, and every balance is exactly the opening balance less what
 * the charges cost or were priced at plus the refills credited, as if nothing had been killed.
 */
class ChaosIT {

    private static final long SEED = Long.getLong("rebill.chaos.seed", 20261122L);
    /** Five kills between six bursts (metering, wallet, billing-sink, metering, wallet), and the first sink's halt. */
    private static final int BURSTS = 6;
    private static final List<String> KILL_ROTATION = List.of("metering", "wallet", "billing");
    private static final int CDRS_PER_BURST = Integer.getInteger("rebill.chaos.burst", 500);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /**
     * Also kill and restart the broker once, mid-run (on by default; {@code -Drebill.chaos.brokerRestart=false}
     * leaves it out). This test found that two metering instances registering the charge schema at
     * the same moment got a 409 from Apicurio that the serde took for "incompatible", dead-lettering
     * a valid CDR about one run in four; RestSchemaRegistryClient now resolves that 409 to the id.
     */
    private static final boolean BROKER_RESTART =
            Boolean.parseBoolean(System.getProperty("rebill.chaos.brokerRestart", "true"));
    private static final Instant PERIOD_START = Instant.parse("2026-11-03T00:00:00Z");
    /** The first sink halts after this many Stripe answers: a few refills in, mid-run. */
    static final int SINK_CRASH_AFTER = 3;
    /** Every billing-sink incarnation's id: a replacement fences the dead one's transaction by it. */
    private static final String SINK_INSTANCE = "chaos";
    /** What the Stripe stub pays for every refill, in cents and in micros: the wallets ask for as much. */
    private static final long REFILL_CENTS = 2_000;
    private static final long REFILL_MICROS = REFILL_CENTS * 10_000;
    /**
     * Just below the opening balance, so the first dollar of traffic asks for a refill; a $20
     * refill lifts the wallet above the threshold again until the traffic drains it once more.
     */
    private static final long THRESHOLD_BELOW_OPENING = 1_000_000;
    /** Bounds the refills (twenty per wallet) whatever the seed's traffic, so the run ends quietly. */
    private static final long MONTHLY_CAP_MICROS = 20 * REFILL_MICROS;
    /** The wallets that refill: the re-billed sub-accounts (only they are debited) and nova's workspace. */
    private static final List<String> REFILLED_WALLETS = List.of(WalletIds.subAccount(DemoData.ACME, "acme-dental"),
            WalletIds.subAccount(DemoData.ACME, "acme-law"), WalletIds.subAccount(DemoData.NOVA, "nova-cafe"),
            WalletIds.subAccount(DemoData.NOVA, "nova-salon"), WalletIds.workspace(DemoData.NOVA));

    static Path dataDir;
    static ChildJvmBroker broker;
    static LocalStack stack;
    static Topics topics;
    static WireMockServer stripe;
    static final List<Instance> running = new ArrayList<>();
    static int generation;
    static Path billingConfigFile;

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
        LocalStack.Settings settings = LocalStack.Settings.withFreePorts(dataDir);
        Files.createDirectories(dataDir);
        broker = new ChildJvmBroker(LocalStack.brokerDir(settings), settings.kafkaPort(), settings.controllerPort(),
                dataDir.resolve("broker.log"));
        stack = new LocalStack(settings, broker).startInfrastructure();
        topics = stack.topics();
        new DemoRunner(stack).publishReferenceData();
        stripe = new WireMockServer(wireMockConfig().dynamicPort());
        stripe.start();
        stripe.stubFor(post(urlEqualTo("/v1/payment_intents")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id": "pi_chaos", "object": "payment_intent", "amount": %d, "amount_received": %d,
                         "currency": "usd", "status": "succeeded", "livemode": false}"""
                        .formatted(REFILL_CENTS, REFILL_CENTS))));
        publishCardsAndRefillSettings();
        Properties billing = stack.billingConfig(-1, SINK_INSTANCE);
        billing.put(StripeSettings.API_KEY, "sk_test_chaos");
        billing.put(StripeSettings.API_BASE, stripe.baseUrl());
        billing.put(StripeSettings.RETRY_INITIAL_MS, "50");
        // A Stripe answer slowed by the loaded machine holds its partition this long, not 30 s.
        billing.put(BillingConfig.UNDETERMINED_RETRY_MS, "1000");
        billingConfigFile = dataDir.resolve("billing-sink.properties");
        try (OutputStream out = Files.newOutputStream(billingConfigFile)) {
            billing.store(out, "ChaosIT billing-sink");
        }
        for (String service : List.of("metering", "wallet")) {
            for (String suffix : List.of("a", "b")) {
                running.add(start(service, service + "-" + suffix));
            }
        }
        running.add(startBillingSink("billing-crashing", true));
        try (Admin admin = stack.admin()) {
            awaitMembers(admin, MeteringApp.APPLICATION_ID, 2);
            awaitMembers(admin, WalletApp.APPLICATION_ID, 2);
        }
    }

    /** A card on file and auto-refill settings for each of {@link #REFILLED_WALLETS}. */
    private static void publishCardsAndRefillSettings() {
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            for (String walletId : REFILLED_WALLETS) {
                String[] ids = walletId.split("/");
                String workspace = ids[0];
                String subAccount = ids.length > 1 ? ids[1] : null;
                // A client's card is on its agency's connected account; the agency's own on the platform's.
                producer.send(topics.paymentMethods, walletId, PaymentMethodOnFile.newBuilder().setWalletId(walletId)
                        .setWorkspaceId(workspace).setSubAccountId(subAccount)
                        .setStripeAccountId(subAccount == null ? null : "acct_chaos_" + workspace)
                        .setCustomerId("cus_chaos_" + walletId.replace('/', '_'))
                        .setPaymentMethodId("pm_chaos_" + walletId.replace('/', '_'))
                        .setUpdatedAt(Instant.now()).build());
            }
            producer.flush();
            for (String walletId : REFILLED_WALLETS) {
                String[] ids = walletId.split("/");
                long threshold = DemoData.openingBalances().get(walletId) - THRESHOLD_BELOW_OPENING;
                producer.send(topics.walletCommands, ids[0], WalletCommand.newBuilder()
                        .setCommandId("chaos-refill-settings:" + walletId).setWorkspaceId(ids[0])
                        .setSubAccountId(ids.length > 1 ? ids[1] : null).setIssuedAt(Instant.now())
                        .setIssuedBy("ChaosIT").setPayload(RefillSettings.newBuilder().setEnabled(true)
                                .setCurrency(DemoData.CURRENCY).setThresholdMicros(threshold)
                                .setRefillAmountMicros(REFILL_MICROS).setMonthlyCapMicros(MONTHLY_CAP_MICROS)
                                .build())
                        .build());
            }
            producer.flush();
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
        if (stripe != null) {
            stripe.stop();
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
        Map<String, Integer> deaths = new HashMap<>();
        int sinkCrashes = 0;
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
            String service = KILL_ROTATION.get(burst % KILL_ROTATION.size());
            // A sink that halted on its own is replaced at once: its open transaction holds back
            // wallet.commands for read_committed readers until its successor fences it. In billing's
            // slot the halt is the slot's death instead, so that no sink is killed just after its start.
            Instance halted = service.equals("billing") ? null : running.stream().filter(i ->
                    i.name().equals("billing-crashing") && !i.process().isAlive()).findFirst().orElse(null);
            if (halted != null) {
                assertThat(halted.process().exitValue()).as("%s: %s", seed, halted)
                        .isEqualTo(CrashingBillingSinkMain.HALTED);
                running.remove(halted);
                Instance replacement = startBillingSink("billing-gen" + (++generation), false);
                running.add(replacement);
                sinkCrashes++;
                kills.add("during burst " + (burst + 1) + ": " + halted + " halted itself after Stripe's answer "
                        + SINK_CRASH_AFTER + ", exit " + halted.process().exitValue() + ", replaced by " + replacement);
            }
            List<Instance> candidates = running.stream().filter(i -> i.service().equals(service)).toList();
            Instance victim = candidates.get(chaos.nextInt(candidates.size()));
            String death;
            if (victim.name().equals("billing-crashing")) {
                // Its own halt between Stripe's answer and the commit is this slot's death, not SIGKILL.
                assertThat(victim.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                        .as("%s: the first billing-sink halted after Stripe's answer %d", seed, SINK_CRASH_AFTER)
                        .isTrue();
                assertThat(victim.process().exitValue()).as("%s: %s", seed, victim)
                        .isEqualTo(CrashingBillingSinkMain.HALTED);
                death = "halted itself after Stripe's answer " + SINK_CRASH_AFTER;
                sinkCrashes++;
            } else {
                victim.process().destroyForcibly();
                assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).as("%s died", victim).isTrue();
                death = "SIGKILL";
            }
            running.remove(victim);
            Instance replacement;
            if (service.equals("billing")) {
                replacement = startBillingSink("billing-gen" + (++generation), false);
            } else {
                // Each service's first replacement reuses the dead one's state folder, the next a fresh one.
                boolean sameStateDir = deaths.merge(service, 1, Integer::sum) % 2 == 1;
                replacement = sameStateDir ? start(service, victim.name())
                        : start(service, service + "-gen" + (++generation));
            }
            running.add(replacement);
            kills.add("after burst " + (burst + 1) + ": " + death + " " + victim + ", exit "
                    + victim.process().exitValue() + ", replaced by " + replacement);
            if (BROKER_RESTART && burst == BURSTS / 2) {
                // The broker too, once, mid-run, killed outright: the services ride it out on their own.
                long down = System.nanoTime();
                broker.kill();
                // Kafka leaves this marker only after an orderly shutdown; without it the restart recovers.
                assertThat(broker.logDir().resolve(".kafka_cleanshutdown")).as("%s: broker killed, not stopped", seed)
                        .doesNotExist();
                broker.start();
                brokerRestart = "after burst " + (burst + 1) + ": broker killed (SIGKILL) and back in "
                        + (System.nanoTime() - down) / 1_000_000 + " ms";
            }
        }
        System.out.printf("ChaosIT %s: %d CDRs in %d bursts, %d kills:%n  %s%n  %s%n", seed, sent.size(), BURSTS,
                kills.size(), String.join("\n  ", kills), brokerRestart);
        assertThat(kills).as(seed).hasSizeGreaterThanOrEqualTo(4);
        assertThat(sinkCrashes).as("%s: billing-sink died between a Stripe answer and its commit", seed).isEqualTo(1);

        Map<String, Object> client = stack.clientConfig();
        try (Admin admin = stack.admin()) {
            // A killed instance replaced on a fresh state folder leaves its transaction open (nobody
            // fences its transactional id) until the broker aborts it: up to transaction.timeout.ms
            // plus the abort check interval. Until then read_committed readers, and so the end
            // offsets PipelineProgress waits for, stop short of it. So: processed, no transaction
            // open anywhere, then processed again up to the now complete ends.
            PipelineProgress progress = new PipelineProgress(client, topics, admin, TIMEOUT);
            try {
                progress.awaitProcessed(produced);
            } catch (IllegalStateException e) {
                System.out.printf("ChaosIT %s: not processed; transactions open on %s; live %s%n", seed,
                        openTransactions(admin), running);
                throw e;
            }
            awaitNoOpenTransactions(admin);
            awaitRefillsSettled(progress, produced, admin);
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

        // Refills: every request charged under its own key, settled once, credited exactly once.
        Map<String, RefillRequest> requests = new TreeMap<>();
        for (ConsumerRecord<String, RefillRequest> r : TopicReader.readAll(client, topics.refillRequested, TIMEOUT)) {
            assertThat(requests.put(r.value().getRequestId(), r.value())).as("%s: refill %s requested once", seed,
                    r.value().getRequestId()).isNull();
        }
        Map<String, RefillOutcome> outcomes = new TreeMap<>();
        for (ConsumerRecord<String, RefillOutcome> r : TopicReader.readAll(client, topics.refillOutcomes, TIMEOUT)) {
            assertThat(outcomes.put(r.value().getRequestId(), r.value())).as("%s: refill %s settled once", seed,
                    r.value().getRequestId()).isNull();
        }
        assertThat(outcomes.keySet()).as("%s: an outcome for every refill request and no other", seed)
                .isEqualTo(requests.keySet());
        assertThat(outcomes.values()).as("%s: every refill paid", seed).allSatisfy(o ->
                assertThat(o.getStatus()).as(o.getRequestId()).isEqualTo(RefillOutcomeStatus.SUCCEEDED));
        Map<String, WalletCommand> credits = new TreeMap<>();
        for (ConsumerRecord<String, WalletCommand> r : TopicReader.readAll(client, topics.walletCommands, TIMEOUT)) {
            WalletCommand command = r.value();
            if (!(command.getPayload() instanceof TopUp topUp)) {
                continue;
            }
            if (command.getCommandId().startsWith("demo-opening:")) {
                assertThat(topUp.getRefillRequestId()).as(command.getCommandId()).isNull();
                continue;
            }
            String requestId = topUp.getRefillRequestId();
            assertThat(command.getIssuedBy()).as("%s: %s", seed, command.getCommandId()).isEqualTo("billing-sink");
            assertThat(requests).as("%s: top-up %s is for a refill the wallet asked for", seed,
                    command.getCommandId()).containsKey(requestId);
            assertThat(credits.put(requestId, command)).as("%s: refill %s credited once", seed, requestId).isNull();
            RefillRequest request = requests.get(requestId);
            String wallet = command.getSubAccountId() == null ? WalletIds.workspace(command.getWorkspaceId())
                    : WalletIds.subAccount(command.getWorkspaceId(), command.getSubAccountId());
            assertThat(wallet).as("%s: %s credited to the wallet that asked", seed, requestId)
                    .isEqualTo(request.getWalletId());
            assertThat(topUp.getAmountMicros()).as("%s: %s credited what Stripe received", seed, requestId)
                    .isEqualTo(REFILL_MICROS);
        }
        assertThat(credits.keySet()).as("%s: every refill credited", seed).isEqualTo(requests.keySet());
        Map<String, List<String>> requestIdsByKey = new TreeMap<>();
        for (LoggedRequest call : stripe.findAll(postRequestedFor(urlEqualTo("/v1/payment_intents")))) {
            String requestId = formField(call.getBodyAsString(), "metadata[" + RefillMetadata.REFILL_REQUEST_ID + "]");
            assertThat(requests).as("%s: Stripe charged for a refill the wallet asked for", seed)
                    .containsKey(requestId);
            assertThat(call.getHeader("Idempotency-Key")).as("%s: key of %s", seed, requestId)
                    .isEqualTo("rebill-" + requestId);
            requestIdsByKey.computeIfAbsent(call.getHeader("Idempotency-Key"), k -> new ArrayList<>()).add(requestId);
        }
        assertThat(requestIdsByKey.values()).as("%s: no two refill requests share a key", seed)
                .allSatisfy(ids -> assertThat(new TreeSet<>(ids)).hasSize(1));
        assertThat(requestIdsByKey.keySet()).as("%s: every credited refill was charged by Stripe", seed)
                .isEqualTo(credits.keySet().stream().map(id -> "rebill-" + id).collect(
                        Collectors.toCollection(TreeSet::new)));
        Map<String, Long> refillsPerWallet = new TreeMap<>();
        requests.values().forEach(r -> refillsPerWallet.merge(r.getWalletId(), 1L, Long::sum));
        List<String> chargedAgain = requestIdsByKey.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey).toList();
        System.out.printf("ChaosIT %s: %d refills credited %s, %d Stripe calls, charged again after a sink death: %s%n",
                seed, credits.size(), refillsPerWallet, requestIdsByKey.values().stream().mapToInt(List::size).sum(),
                chargedAgain);
        assertThat(credits).as("%s: refills happened during the run", seed).hasSizeGreaterThanOrEqualTo(
                REFILLED_WALLETS.size());
        assertThat(refillsPerWallet.values()).as("%s: some wallet refilled more than once", seed)
                .anyMatch(n -> n > 1);
        assertThat(chargedAgain).as("%s: a request charged both before and after the sink's crash", seed)
                .isNotEmpty();

        // Balances: the opening balances less exactly what was charged plus the refills credited,
        // as without a single kill.
        Map<String, Long> expectedBalances = WalletTotals.lessCharges(DemoData.openingBalances(), charges.values());
        credits.values().forEach(c -> expectedBalances.merge(c.getSubAccountId() == null
                        ? WalletIds.workspace(c.getWorkspaceId())
                        : WalletIds.subAccount(c.getWorkspaceId(), c.getSubAccountId()),
                ((TopUp) c.getPayload()).getAmountMicros(), Long::sum));
        Map<String, Long> balances = WalletTotals.latestBalances(client, topics, TIMEOUT);
        Map<String, Long> debited = new TreeMap<>();
        REFILLED_WALLETS.forEach(w -> debited.put(w, DemoData.openingBalances().get(w)
                + refillsPerWallet.getOrDefault(w, 0L) * REFILL_MICROS - balances.getOrDefault(w, 0L)));
        System.out.printf("ChaosIT %s: debited from the refilled wallets (micros): %s%n", seed, debited);
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
        assertThat(TopicReader.readAll(client, topics.billingDeadLetter, TIMEOUT)).as(seed).isEmpty();

        System.out.printf("ChaosIT %s: %d charged, %d rejected, %d not billable, %d wallets, %d refills, %d s%n",
                seed, charges.size(), rejectedKeys.size(), sent.size() - billableByKey.size(), balances.size(),
                credits.size(),
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
        return launch(service, name, stateDir, ServiceMain.class.getName(), service, configFile.toString());
    }

    /**
     * Starts billing-sink in a child JVM, always as instance {@link #SINK_INSTANCE}: static group
     * membership hands it the dead one's partitions at once, and its transactional id fences it.
     */
    private static Instance startBillingSink(String name, boolean crashing) throws IOException {
        Path noState = dataDir.resolve("state").resolve(name);
        return crashing
                ? launch("billing", name, noState, CrashingBillingSinkMain.class.getName(),
                        billingConfigFile.toString(), Integer.toString(SINK_CRASH_AFTER))
                : launch("billing", name, noState, ServiceMain.class.getName(), "billing",
                        billingConfigFile.toString());
    }

    private static Instance launch(String service, String name, Path stateDir, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(name + ".log").toFile()))
                .start();
        return new Instance(service, name, stateDir, process);
    }

    /** A field of a form-encoded body, decoded; null when absent. */
    private static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * Until billing-sink has settled every refill the wallets asked for and wallet-stream has applied
     * the resulting top-ups, and those top-ups asked for no further refill. A top-up can leave a
     * wallet below its threshold and so ask again: hence the loop.
     */
    private static void awaitRefillsSettled(PipelineProgress progress, Map<TopicPartition, Long> produced,
                                            Admin admin) throws Exception {
        Map<String, Object> client = stack.clientConfig();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Set<String> requested = refillRequestIds(client);
            Set<String> settled = new TreeSet<>();
            Set<String> notSucceeded = new TreeSet<>();
            TopicReader.readAll(client, topics.refillOutcomes, TIMEOUT).forEach(r -> {
                settled.add(r.value().getRequestId());
                if (r.value().getStatus() != RefillOutcomeStatus.SUCCEEDED) {
                    notSucceeded.add(r.value().getRequestId() + " " + r.value().getStatus());
                }
            });
            if (!notSucceeded.isEmpty()) {
                // Nothing in this run declines: a failure would not be retried, so stop waiting.
                return;
            }
            if (settled.containsAll(requested)) {
                // Every settled refill's top-up is on wallet.commands, committed with its outcome.
                progress.awaitProcessed(produced);
                awaitNoOpenTransactions(admin);
                if (refillRequestIds(client).equals(requested)) {
                    return;
                }
            } else if (System.nanoTime() > deadline) {
                Set<String> unsettled = new TreeSet<>(requested);
                unsettled.removeAll(settled);
                throw new IllegalStateException("Refills still unsettled after " + TIMEOUT + ": " + unsettled
                        + "; live instances " + running);
            } else {
                Thread.sleep(500);
            }
        }
    }

    private static Set<String> refillRequestIds(Map<String, Object> client) {
        Set<String> ids = new TreeSet<>();
        TopicReader.readAll(client, topics.refillRequested, TIMEOUT).forEach(r -> ids.add(r.value().getRequestId()));
        return ids;
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

    /** The partitions whose last stable offset is behind their high watermark, right now. */
    private static List<TopicPartition> openTransactions(Admin admin) throws Exception {
        Set<String> names = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        names.removeIf(name -> name.startsWith("__"));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(d ->
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable = admin.listOffsets(latest,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> high = admin.listOffsets(latest,
                new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS);
        return latest.keySet().stream().filter(tp -> stable.get(tp).offset() < high.get(tp).offset())
                .sorted(java.util.Comparator.comparing(TopicPartition::toString)).toList();
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
