package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rebill.cli.csv.CdrCsvReader;
import io.rebill.cli.DemoStackExtension;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.ConsumerGroupProgress;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.ledger.WalletIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code rebill import cdrs} and {@code rebill dlq list|replay}, run as an operator would, against
 * the real local stack: a call to a destination without a rate is rejected, the rate is added,
 * the call is replayed and charged exactly once, and replaying again changes no balance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DlqReplayIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String CARRIER = "carrier-dlq";
    private static final String CHINA_CDR = "cn-1";
    private static final String CHINA_CHARGE = ChargeIds.forCdr(CARRIER, CHINA_CDR, 1);
    /** 120,000/min in 60/60 increments: the 40 s call bills 60 s = 120,000; acme-dental pays 1.05x = 126,000. */
    private static final long CHINA_COST = 120_000;
    private static final long CHINA_PRICE = 126_000;
    private static final String WORKSPACE = WalletIds.workspace(DemoData.ACME);
    private static final String SUB_ACCOUNT = WalletIds.subAccount(DemoData.ACME, "acme-dental");

    /** Where the tests write the CSV files they import. */
    @TempDir
    static Path csvDir;

    @RegisterExtension
    static final DemoStackExtension DEMO_STACK = new DemoStackExtension();

    static LocalStack stack;
    static Topics topics;

    @BeforeAll
    static void useStack() {
        stack = DEMO_STACK.stack();
        topics = stack.topics();
    }

    @Test
    @Order(1)
    void shouldRejectAndListTheCallWhenItsDestinationHasNoRate() throws Exception {
        Path file = csvDir.resolve("cdrs.csv");
        Files.writeString(file, String.join("\n", String.join(",", CdrCsvReader.COLUMNS),
                call("us-1", "+12124567890", 61), call("uk-1", "+447911123456", 31), call(CHINA_CDR, "+861062345678", 40),
                call("us-2", "+13125550100", 6)) + "\n");

        CliRun imported = rebill("import", "cdrs", file.toString());
        awaitPipeline();

        assertThat(imported.exitCode).as(imported.toString()).isZero();
        assertThat(imported.out).isEqualTo("imported 4 CDRs from " + file + "; 0 lines rejected\n");
        CliRun listed = rebill("dlq", "list");
        assertThat(listed.exitCode).as(listed.toString()).isZero();
        List<String> lines = listed.out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("metering.charges.rejected  ").contains("  from metering.cdr.raw ")
                .contains(" key=" + ChargeIds.cdrKey(CARRIER, CHINA_CDR) + "  NO_RATE  ");
        assertThat(lines.get(1)).isEqualTo("1 record on metering.charges.rejected (NO_RATE 1)");
        assertThat(chargesOf(CHINA_CHARGE)).isEmpty();
    }

    @Test
    @Order(2)
    void shouldChargeTheCallExactlyOnceWhenItIsReplayedAfterItsRateIsPublished() throws Exception {
        Map<String, Long> before = latestBalances();
        RateCardEntry china = RateCardEntry.newBuilder().setRateId("voice-out-china").setVersion(1)
                .setUsageType(UsageType.VOICE).setDirection(Direction.OUTBOUND).setDestinationPrefix("86")
                .setCurrency(DemoData.CURRENCY).setUnitPriceMicros(120_000).setFirstIncrementSeconds(60)
                .setNextIncrementSeconds(60).setValidFrom(DemoData.RATES_VALID_FROM).build();
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.rateCard, RateCardKey.of(china), china);
            producer.flush();
        }

        // When metering's global rate-card table reads the new rate is not observable from here. A
        // replay that beats it is rejected again, and the next replay re-injects only that new
        // rejection: the retry is itself the behaviour replay promises.
        List<String> replays = new ArrayList<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            CliRun replayed = rebill("dlq", "replay");
            replays.add(replayed.out);
            assertThat(replayed.exitCode).as(replayed.toString()).isZero();
            awaitPipeline();
            assertThat(chargesOf(CHINA_CHARGE)).as("replays so far: %s", replays).isNotEmpty();
        });

        assertThat(replays).allMatch(out -> out.equals("replayed 1 record from metering.charges.rejected to "
                + "metering.cdr.raw (NO_RATE 1); skipped 0\n"), "each replay re-injected the one rejection");
        assertThat(chargesOf(CHINA_CHARGE)).singleElement().satisfies(charge -> {
            assertThat(charge.getCostMicros()).isEqualTo(CHINA_COST);
            assertThat(charge.getPriceMicros()).isEqualTo(CHINA_PRICE);
        });
        Map<String, Long> after = latestBalances();
        assertThat(after.get(WORKSPACE)).isEqualTo(before.get(WORKSPACE) - CHINA_COST);
        assertThat(after.get(SUB_ACCOUNT)).isEqualTo(before.get(SUB_ACCOUNT) - CHINA_PRICE);
    }

    @Test
    @Order(3)
    void shouldReplayNothingWhenNothingWasRejectedSinceTheLastReplay() {
        CliRun replayed = rebill("dlq", "replay");

        assertThat(replayed.exitCode).as(replayed.toString()).isZero();
        assertThat(replayed.out).startsWith("replayed 0 records from metering.charges.rejected; skipped 0; "
                + "nothing new since the last replay");
    }

    @Test
    @Order(4)
    void shouldNotChangeAnyBalanceWhenEverythingIsReplayedFromTheBeginning() throws Exception {
        Map<String, Long> before = latestBalances();
        int ledgerEntries = TopicReader.readAll(stack.clientConfig(), topics.walletLedger, TIMEOUT).size();

        CliRun replayed = rebill("dlq", "replay", "--from-beginning");
        awaitPipeline();

        assertThat(replayed.exitCode).as(replayed.toString()).isZero();
        assertThat(replayed.out).startsWith("replayed ").contains(" from metering.charges.rejected to metering.cdr.raw (NO_RATE ")
                .doesNotStartWith("replayed 0 ");
        assertThat(latestBalances()).isEqualTo(before);
        assertThat(TopicReader.readAll(stack.clientConfig(), topics.walletLedger, TIMEOUT)).hasSize(ledgerEntries);
    }

    @Test
    @Order(5)
    void shouldKeepProgressBeforeRecordsSkippedByReasonWhenReplayingOneReason() throws Exception {
        Path file = csvDir.resolve("bad-number.csv");
        Files.writeString(file, String.join(",", CdrCsvReader.COLUMNS) + "\n" + call("bad-1", "+1212", 30) + "\n");
        assertThat(rebill("import", "cdrs", file.toString()).exitCode).isZero();
        awaitPipeline();

        CliRun onlyNoRate = rebill("dlq", "replay", "--reason", "NO_RATE");
        CliRun next = rebill("dlq", "replay", "--dry-run");

        assertThat(onlyNoRate.out).isEqualTo("replayed 0 records from metering.charges.rejected; skipped 1 "
                + "(INVALID_NUMBER 1); the next replay starts again at the first record skipped by --reason\n");
        assertThat(next.out).startsWith("dry run: would replay 1 record from metering.charges.rejected to "
                + "metering.cdr.raw (INVALID_NUMBER 1); skipped 0");
    }

    @Test
    @Order(6)
    void shouldListAndDryRunReplayUnreadableRecordsFromTheStreamsHeaders() throws Exception {
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.sendRaw(topics.cdrRaw.name(), "garbage".getBytes(StandardCharsets.UTF_8),
                    "definitely not avro".getBytes(StandardCharsets.UTF_8));
            producer.flush();
        }
        awaitPipeline();

        CliRun listed = rebill("dlq", "list", "--topic", "metering.dead-letter");
        CliRun dryRun = rebill("dlq", "replay", "--topic", "metering.dead-letter", "--dry-run");
        CliRun filtered = rebill("dlq", "list", "--topic", "metering.dead-letter", "--reason", "NO_RATE");

        assertThat(listed.exitCode).as(listed.toString()).isZero();
        List<String> lines = listed.out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("metering.dead-letter  ").contains("  from metering.cdr.raw ")
                .contains(" key=garbage  ").contains("magic byte");
        // Columns are two spaces apart: topic, partition@offset, source, reason code, ...
        String exception = lines.get(0).split("  ")[3];
        assertThat(exception).endsWith("Exception");
        assertThat(lines.get(1)).isEqualTo("1 record on metering.dead-letter (" + exception + " 1)");
        assertThat(dryRun.exitCode).as(dryRun.toString()).isZero();
        assertThat(dryRun.out).startsWith("dry run: would replay 1 record from metering.dead-letter to metering.cdr.raw (")
                .endsWith("; skipped 0; nothing produced, progress unchanged\n");
        assertThat(filtered.out).isEqualTo("no records on metering.dead-letter with reason NO_RATE (1 record in all)\n");
    }

    private static CliRun rebill(String... args) {
        String[] withStack = Stream.concat(Stream.of(args), Stream.of("--bootstrap-servers", stack.bootstrapServers(),
                "--registry-url", stack.registryUrl())).toArray(String[]::new);
        return CliRun.of(withStack);
    }

    /**
     * Waits until metering-stream has consumed everything on metering.cdr.raw (every record here is
     * keyed by its identity, so none goes through a repartition topic) and wallet-stream every
     * charge and command: under exactly-once, all they wrote is then visible.
     */
    private static void awaitPipeline() throws Exception {
        try (Admin admin = stack.admin()) {
            ConsumerGroupProgress.awaitCommitted(admin, MeteringApp.APPLICATION_ID, endOffsets(admin, topics.cdrRaw.name()),
                    TIMEOUT);
            Map<TopicPartition, Long> walletInputs = new HashMap<>();
            Stream.of(TopicReader.readAll(stack.clientConfig(), topics.chargesRated, TIMEOUT),
                            TopicReader.readAll(stack.clientConfig(), topics.walletCommands, TIMEOUT))
                    .flatMap(List::stream)
                    .forEach(r -> walletInputs.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
            ConsumerGroupProgress.awaitCommitted(admin, WalletApp.APPLICATION_ID, walletInputs, TIMEOUT);
        }
    }

    /** metering.cdr.raw is written without transactions, so its end offsets follow its last records. */
    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < Topics.DEFAULT_PARTITIONS; partition++) {
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
            if (e.getValue().offset() > 0) {
                end.put(e.getKey(), e.getValue().offset());
            }
        }
        return end;
    }

    private static List<RatedCharge> chargesOf(String chargeId) {
        return TopicReader.readAll(stack.clientConfig(), topics.chargesRated, TIMEOUT).stream()
                .map(ConsumerRecord::value).filter(c -> c.getChargeId().equals(chargeId)).toList();
    }

    private static Map<String, Long> latestBalances() {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (ConsumerRecord<String, WalletBalance> record : TopicReader.readAll(stack.clientConfig(), topics.walletBalances, TIMEOUT)) {
            balances.put(record.value().getWalletId(), record.value().getBalanceMicros());
        }
        return balances;
    }

    /** An answered outbound voice call of acme-dental, re-billed at the demo's default 1.05x. */
    private static String call(String cdrId, String to, int seconds) {
        return String.join(",", CARRIER, cdrId, "1", DemoData.ACME, "acme-dental", "call-" + cdrId, "VOICE", "OUTBOUND",
                "+14157670100", to, "2026-11-10T15:00:00Z", "2026-11-10T15:00:04Z",
                Instant.parse("2026-11-10T15:00:04Z").plusSeconds(seconds).toString(), String.valueOf(seconds),
                "ANSWERED");
    }
}
