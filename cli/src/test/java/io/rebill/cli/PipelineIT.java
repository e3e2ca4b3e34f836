package io.rebill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rebill.cli.demo.DemoData;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.ConsumerGroupProgress;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metrics.PrometheusText;
import io.rebill.schemas.billing.BillingNoticeKind;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * CDRs through both topologies on a real KRaft broker and a real (Apicurio) registry, with every
 * balance checked to the micro-unit against figures worked out by hand; last, what each service's
 * {@code /metrics} counted of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final DemoStackExtension DEMO_STACK = new DemoStackExtension();

    static LocalStack stack;
    static Topics topics;

    @BeforeAll
    static void useStack() {
        stack = DEMO_STACK.stack();
        topics = stack.topics();
    }

    /*
     * Each line: the call, then cost = billed seconds x per-minute price / 60 (half-up to the micro)
     * + connect fee, and price = cost x multiplier (half-up). Rates are DemoData's.
     */
    private static final List<CallDetailRecord> CALLS = List.of(
            // US 13,000/min 6/6: 61 s -> 66 s -> 14,300; 1.05x -> 15,015
            call("c-1", "acme-agency", "acme-dental", CallService.VOICE, Direction.OUTBOUND, "+12124567890", "2026-11-10T10:00:00Z", 61),
            // UK mobile 95,000/min 30/6 + 1,500: 31 s -> 36 s -> 57,000 + 1,500 = 58,500; 2.5x -> 146,250
            call("c-2", "acme-agency", "acme-law", CallService.VOICE, Direction.OUTBOUND, "+447911123456", "2026-11-10T11:00:00Z", 31),
            // voice AI inbound 70,000/min 1/1: 10 s -> 11,666.67 -> 11,667; 3x -> 35,001
            call("c-3", "acme-agency", "acme-law", CallService.VOICE_AI, Direction.INBOUND, "+14157670101", "2026-11-10T12:00:00Z", 10),
            // after the US price change, 12,000/min: 125 s -> 126 s -> 25,200; not re-billed -> 0
            call("c-4", "acme-agency", "acme-gym", CallService.VOICE, Direction.OUTBOUND, "+12124567890", "2026-11-16T09:00:00Z", 125),
            // Jamaica (longest prefix 1876) 215,000/min 60/60: 59 s -> 60 s -> 215,000; 1.05x -> 225,750
            call("c-5", "nova-media", "nova-cafe", CallService.VOICE, Direction.OUTBOUND, "+18762345678", "2026-11-10T13:00:00Z", 59),
            // Mexico 41,500/min 1/1, minimum 30 s: 7 s -> 30 s -> 20,750; pinned 1.05x -> 21,787.5 -> 21,788
            call("c-6", "nova-media", "nova-salon", CallService.VOICE, Direction.OUTBOUND, "+525512345678", "2026-11-10T14:00:00Z", 7),
            // China has no rate: rejected, nobody is charged
            call("c-7", "acme-agency", "acme-dental", CallService.VOICE, Direction.OUTBOUND, "+861062345678", "2026-11-10T15:00:00Z", 40),
            // unanswered: costs nothing
            unanswered("c-8", "nova-media", "nova-salon", "+12124567890", "2026-11-10T16:00:00Z"));

    /** Hand-worked debits per wallet; the balances are the demo's opening balances less these. */
    private static final Map<String, Long> EXPECTED_DEBITS = Map.of(
            "acme-agency", 14_300L + 58_500 + 11_667 + 25_200,
            "acme-agency/acme-dental", 15_015L,
            "acme-agency/acme-law", 146_250L + 35_001,
            "nova-media", 215_000L + 20_750,
            "nova-media/nova-cafe", 225_750L,
            "nova-media/nova-salon", 21_788L);

    private static final Map<String, Long> EXPECTED_BALANCES = expectedBalances();

    private static Map<String, Long> expectedBalances() {
        Map<String, Long> balances = new HashMap<>(DemoData.openingBalances());
        EXPECTED_DEBITS.forEach((wallet, debit) -> balances.merge(wallet, -debit, Long::sum));
        return balances;
    }

    @Test
    @Order(1)
    void shouldChargeBothWalletsToTheMicroUnit() throws Exception {
        produceAndAwait(CALLS);

        assertThat(latestBalances()).isEqualTo(EXPECTED_BALANCES);
        List<DeadLetter> rejected = values(TopicReader.readAll(stack.clientConfig(), topics.chargesRejected, TIMEOUT));
        assertThat(rejected).extracting(DeadLetter::getReasonCode).containsExactly("NO_RATE");
        List<RatedCharge> charges = values(TopicReader.readAll(stack.clientConfig(), topics.chargesRated, TIMEOUT));
        assertThat(charges).hasSize(6).allSatisfy(c -> assertThat(c.getCurrency()).isEqualTo("USD"));
    }

    @Test
    @Order(2)
    void shouldChangeNothingWhenTheSameCdrsAreProducedAgain() throws Exception {
        int ledgerEntriesBefore = TopicReader.readAll(stack.clientConfig(), topics.walletLedger, TIMEOUT).size();

        produceAndAwait(CALLS);

        assertThat(latestBalances()).isEqualTo(EXPECTED_BALANCES);
        List<LedgerEntry> ledger = values(TopicReader.readAll(stack.clientConfig(), topics.walletLedger, TIMEOUT));
        assertThat(ledger).hasSize(ledgerEntriesBefore);
        // The ledger explains every balance: opening top-up plus entries equals the balance.
        Map<String, Long> ledgerSums = new HashMap<>();
        ledger.forEach(e -> ledgerSums.merge(e.getWalletId(), e.getAmountMicros(), Long::sum));
        assertThat(ledgerSums).isEqualTo(EXPECTED_BALANCES);
    }

    @Test
    @Order(3)
    void shouldDeadLetterGarbageBytesAndKeepCharging() throws Exception {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        CallDetailRecord after = call("c-9", "acme-agency", "acme-dental", CallService.VOICE, Direction.OUTBOUND,
                "+12124567890", "2026-11-11T10:00:00Z", 6);
        Map<TopicPartition, Long> sent;
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.sendRaw(topics.cdrRaw.name(), "garbage".getBytes(StandardCharsets.UTF_8), garbage);
            producer.send(topics.cdrRaw, "carrier-it:c-9", after);
            sent = producer.flush();
        }
        try (Admin admin = stack.admin()) {
            ConsumerGroupProgress.awaitCommitted(admin, MeteringApp.APPLICATION_ID, sent, TIMEOUT);
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters =
                TopicReader.readAll(stack.clientConfig(), topics.meteringDeadLetter, TIMEOUT);
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(garbage);
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("garbage");
            assertThat(header(record, "__streams.errors.topic")).isEqualTo(topics.cdrRaw.name());
            assertThat(header(record, "__streams.errors.message")).contains("magic byte");
        });
        // 6 s at 13,000/min = 1,300 micros: the record after the garbage is still charged.
        assertThat(values(TopicReader.readAll(stack.clientConfig(), topics.chargesRated, TIMEOUT)))
                .anySatisfy(c -> {
                    assertThat(c.getChargeId()).isEqualTo("cdr:carrier-it:c-9:v1");
                    assertThat(c.getCostMicros()).isEqualTo(1_300);
                });
    }

    @Test
    @Order(4)
    void shouldDeadLetterGarbageChargesInTheWalletStream() throws Exception {
        byte[] garbage = {0, 0, 0, 0, 42, 1, 2, 3};
        Map<TopicPartition, Long> sent;
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.sendRaw(topics.chargesRated.name(), "acme-agency".getBytes(StandardCharsets.UTF_8), garbage);
            sent = producer.flush();
        }
        try (Admin admin = stack.admin()) {
            ConsumerGroupProgress.awaitCommitted(admin, WalletApp.APPLICATION_ID, sent, TIMEOUT);
        }

        assertThat(TopicReader.readAll(stack.clientConfig(), topics.walletDeadLetter, TIMEOUT))
                .singleElement().satisfies(record -> {
                    assertThat(record.value()).isEqualTo(garbage);
                    assertThat(header(record, "__streams.errors.topic")).isEqualTo(topics.chargesRated.name());
                    assertThat(header(record, "__streams.errors.message")).contains("no schema with id 42");
                });
        assertThat(latestBalances()).containsAllEntriesOf(Map.of("acme-agency",
                EXPECTED_BALANCES.get("acme-agency") - 1_300));
    }

    @Test
    @Order(5)
    void shouldRunBillingSinkOnRefillRequests() throws Exception {
        RefillRequest request = RefillRequest.newBuilder().setRequestId("refill-it-1").setWalletId("acme-agency")
                .setWorkspaceId("acme-agency").setAmountMicros(50_000_000).setCurrency("USD")
                .setBalanceMicros(1_000_000).setThresholdMicros(5_000_000).setRequestedAt(Instant.now()).build();
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.refillRequested, "acme-agency", request);
            producer.flush();
        }

        // The local stack has no Stripe key: the refill becomes a notice for the operator, and nothing is credited.
        await().atMost(TIMEOUT).until(() -> stack.billingSink().refills().awaitingOfflinePayment.get() == 1);
        assertThat(values(TopicReader.readAll(stack.clientConfig(), topics.billingNotices, TIMEOUT)))
                .singleElement().satisfies(notice -> {
                    assertThat(notice.getKind()).isEqualTo(BillingNoticeKind.AWAITING_OFFLINE_PAYMENT);
                    assertThat(notice.getRefillRequestId()).isEqualTo("refill-it-1");
                    assertThat(notice.getMessage()).contains("rebill wallet credit --workspace acme-agency");
                });
        assertThat(values(TopicReader.readAll(stack.clientConfig(), topics.refillOutcomes, TIMEOUT)))
                .extracting(RefillOutcome::getStatus).containsExactly(RefillOutcomeStatus.AWAITING_OFFLINE_PAYMENT);
    }

    @Test
    @Order(6)
    void shouldCountWhatWasProcessedOnEveryServicesMetricsEndpoint() throws Exception {
        String metering = scrape(stack.meteringUrl());
        String wallet = scrape(stack.walletUrl());
        String billing = scrape("http://127.0.0.1:" + stack.billingSink().httpPort());

        assertThat(PrometheusText.sum(metering, "rebill_metering_records_rated_total", Map.of())).isPositive();
        assertThat(PrometheusText.sum(metering, "rebill_metering_records_rejected_total", Map.of("reason", "NO_RATE")))
                .isPositive();
        assertThat(PrometheusText.sum(metering, "rebill_metering_dead_letters_total", Map.of())).isPositive();
        assertThat(PrometheusText.sum(metering, "kafka_stream_thread_process_total", Map.of())).isPositive();
        assertThat(PrometheusText.sum(wallet, "rebill_wallet_charges_applied_total", Map.of())).isPositive();
        assertThat(PrometheusText.samples(wallet, "kafka_stream_thread_process_total", Map.of())).isNotEmpty();
        assertThat(PrometheusText.value(billing, "rebill_billing_refills_total",
                Map.of("outcome", "awaiting_offline_payment"))).hasValue(1.0);
        assertThat(PrometheusText.samples(billing, "kafka_consumer_fetch_manager_records_lag_max", Map.of()))
                .isNotEmpty();
        for (String service : List.of(stack.meteringUrl(), stack.walletUrl(),
                "http://127.0.0.1:" + stack.billingSink().httpPort())) {
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(service + "/ready")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(service + "/ready").isEqualTo(200);
        }
    }

    private static String scrape(String baseUrl) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(baseUrl + "/metrics").isEqualTo(200);
        return response.body();
    }

    private static void produceAndAwait(List<CallDetailRecord> calls) throws Exception {
        Map<TopicPartition, Long> sent;
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            calls.forEach(c -> producer.send(topics.cdrRaw, ChargeIds.cdrKey(c.getCarrierId(), c.getCdrId()), c));
            sent = producer.flush();
        }
        try (Admin admin = stack.admin()) {
            new PipelineProgress(stack.clientConfig(), topics, admin, TIMEOUT).awaitProcessed(sent);
        }
    }

    private static Map<String, Long> latestBalances() {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (WalletBalance balance : values(TopicReader.readAll(stack.clientConfig(), topics.walletBalances, TIMEOUT))) {
            balances.put(balance.getWalletId(), balance.getBalanceMicros());
        }
        return balances;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <V> List<V> values(List<? extends ConsumerRecord<?, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static CallDetailRecord call(String id, String workspace, String subAccount, CallService service,
                                         Direction direction, String remote, String start, int seconds) {
        Instant startTime = Instant.parse(start);
        String platformNumber = "+14157670100";
        return CallDetailRecord.newBuilder().setCarrierId("carrier-it").setCdrId(id).setVersion(1)
                .setWorkspaceId(workspace).setSubAccountId(subAccount).setCallId("call-" + id).setService(service)
                .setDirection(direction)
                .setFromNumber(direction == Direction.OUTBOUND ? platformNumber : remote)
                .setToNumber(direction == Direction.OUTBOUND ? remote : platformNumber)
                .setStartTime(startTime).setAnswerTime(startTime.plusSeconds(4))
                .setEndTime(startTime.plusSeconds(4 + seconds)).setBillableSeconds(seconds)
                .setDisposition(CallDisposition.ANSWERED).build();
    }

    private static CallDetailRecord unanswered(String id, String workspace, String subAccount, String to, String start) {
        CallDetailRecord call = call(id, workspace, subAccount, CallService.VOICE, Direction.OUTBOUND, to, start, 0);
        call.setAnswerTime(null);
        call.setDisposition(CallDisposition.NO_ANSWER);
        return call;
    }
}
