package io.rebill.billing.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rebill.billing.retry.Backoff;
import io.rebill.billing.payment.PaymentGateway;
import io.rebill.billing.refill.RefillRecords;
import io.rebill.billing.refill.RefillSettler;
import io.rebill.billing.stripe.StripePaymentGateway;
import io.rebill.billing.stripe.StripeSettings;
import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.BillingNoticeKind;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.DeadLetterHeaders;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refill loop with the real stripe-java client against WireMock stubs that answer as Stripe
 * does, and Kafka's mock consumer and transactional producer: every outcome is asserted on what
 * the committed transactions put on {@code wallet.commands}.
 */
class RefillRequestLoopTest {

    private static final String WORKSPACE = "acme-agency";
    private static final String CLIENT = "acme-gym";
    private static final String CONNECTED_ACCOUNT = "acct_1AgencyConnect";
    private static final String PI_PATH = "/v1/payment_intents";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://refill-loop-test"));
    private final TopicPartition partition = new TopicPartition(topics.refillRequested.name(), 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private MockProducer<byte[], byte[]> producer = newProducer();
    private final MapView<PaymentMethodOnFile> cards = new MapView<>();
    private final MapView<RefillOutcome> outcomes = new MapView<>();
    private final AtomicLong clockMillis = new AtomicLong(NOW.toEpochMilli());
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(clockMillis.get());
        }
    };
    private final List<Duration> sleeps = new ArrayList<>();
    private WireMockServer stripe;
    private RefillRequestLoop loop;
    private long nextOffset;

    @BeforeEach
    void startStripeAndLoop() {
        stripe = new WireMockServer(wireMockConfig().dynamicPort());
        stripe.start();
        StripeSettings settings = StripeSettings.withDefaults("sk_test_rebill")
                .withApiBase(stripe.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(400))
                .withRetries(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3));
        loop = loopWith(Optional.of(new StripePaymentGateway(settings, sleeps::add)));
        cards.values.put(WORKSPACE, card(WORKSPACE, null, null, "cus_agency", "pm_agency_visa"));
        cards.values.put(WORKSPACE + "/" + CLIENT, card(WORKSPACE + "/" + CLIENT, CLIENT, CONNECTED_ACCOUNT,
                "cus_client", "pm_client_visa"));
    }

    @AfterEach
    void stopStripe() {
        stripe.stop();
    }

    private static MockProducer<byte[], byte[]> newProducer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private RefillRequestLoop loopWith(Optional<PaymentGateway> gateway) {
        RefillRequestLoop created = new RefillRequestLoop(consumer, producer, topics,
                new RefillSettler(gateway, clock), cards, outcomes, Duration.ofSeconds(30), Duration.ofHours(6), clock);
        created.startUp();
        consumer.rebalance(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        return created;
    }

    @Test
    void shouldCreditTheSubAccountWithWhatItsCardOnTheAgencysConnectedAccountPaid() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_paid_1", 2500, "succeeded"))));

        produce(request("refill:acme-agency/acme-gym:1", CLIENT, 25_000_000, "USD"));
        loop.pollOnce();

        TopUp topUp = (TopUp) onlyCommand().getPayload();
        assertThat(onlyCommand().getCommandId()).isEqualTo("refill-paid:refill:acme-agency/acme-gym:1");
        assertThat(onlyCommand().getSubAccountId()).isEqualTo(CLIENT);
        assertThat(topUp.getAmountMicros()).isEqualTo(25_000_000);
        assertThat(topUp.getPaymentReference()).isEqualTo("pi_paid_1");
        assertThat(topUp.getRefillRequestId()).isEqualTo("refill:acme-agency/acme-gym:1");
        assertThat(committedKeys(topics.walletCommands)).containsExactly(WORKSPACE);
        assertThat(onlyOutcome().getStatus()).isEqualTo(RefillOutcomeStatus.SUCCEEDED);
        assertThat(committedOffset()).isEqualTo(1);

        LoggedRequest call = onlyStripeCall();
        assertThat(call.getHeader("Stripe-Account")).isEqualTo(CONNECTED_ACCOUNT);
        assertThat(call.getHeader("Idempotency-Key")).isEqualTo("rebill-refill:acme-agency/acme-gym:1");
        assertThat(call.getBodyAsString()).contains("customer=cus_client", "payment_method=pm_client_visa",
                "amount=2500", "currency=usd", "off_session=true", "confirm=true");
    }

    @Test
    void shouldChargeAWorkspacesOwnRefillOnThePlatformAccount() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_agency", 10_000, "succeeded"))));

        produce(request("refill:acme-agency:4", null, 100_000_000, "USD"));
        loop.pollOnce();

        assertThat(((TopUp) onlyCommand().getPayload()).getAmountMicros()).isEqualTo(100_000_000);
        assertThat(onlyCommand().getSubAccountId()).isNull();
        assertThat(onlyStripeCall().containsHeader("Stripe-Account")).isFalse();
        assertThat(onlyStripeCall().getBodyAsString()).contains("customer=cus_agency");
    }

    @Test
    void shouldReportACardDeclinedForInsufficientFundsAsARefillFailure() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(402, cardError("card_declined", "insufficient_funds",
                "Your card has insufficient funds."))));

        produce(request("refill:acme-agency/acme-gym:2", CLIENT, 25_000_000, "USD"));
        loop.pollOnce();

        RefillFailed failed = (RefillFailed) onlyCommand().getPayload();
        assertThat(onlyCommand().getCommandId()).isEqualTo("refill-failed:refill:acme-agency/acme-gym:2");
        assertThat(failed.getFailureCode()).isEqualTo("card_declined");
        assertThat(failed.getDeclineCode()).isEqualTo("insufficient_funds");
        assertThat(failed.getRefillRequestId()).isEqualTo("refill:acme-agency/acme-gym:2");
        assertThat(committed(topics.billingNotices)).isEmpty();
        assertThat(onlyOutcome().getStatus()).isEqualTo(RefillOutcomeStatus.FAILED);
        assertThat(committedOffset()).isEqualTo(1);
    }

    @Test
    void shouldAskTheClientToAuthenticateWhenTheBankRequiresIt() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(402, cardError("authentication_required", null,
                "Your card was declined. This transaction requires authentication."))));

        produce(request("refill:acme-agency/acme-gym:3", CLIENT, 25_000_000, "USD"));
        loop.pollOnce();

        assertThat(((RefillFailed) onlyCommand().getPayload()).getFailureCode()).isEqualTo("authentication_required");
        BillingNotice notice = (BillingNotice) committed(topics.billingNotices).get(0);
        assertThat(notice.getKind()).isEqualTo(BillingNoticeKind.ACTION_REQUIRED);
        assertThat(notice.getSubAccountId()).isEqualTo(CLIENT);
        assertThat(notice.getPaymentIntentId()).isEqualTo("pi_needs_auth");
        assertThat(notice.getNoticeId()).isEqualTo("action_required:refill:acme-agency/acme-gym:3");
    }

    @Test
    void shouldRetryA500WithTheSameIdempotencyKeyAndCreditOnce() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong\"}}"))
                .willSetStateTo("recovered"));
        stripe.stubFor(post(urlEqualTo(PI_PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(json(200, paymentIntent("pi_after_500", 2500, "succeeded"))));

        produce(request("refill:acme-agency/acme-gym:5", CLIENT, 25_000_000, "USD"));
        loop.pollOnce();

        assertThat(((TopUp) onlyCommand().getPayload()).getPaymentReference()).isEqualTo("pi_after_500");
        List<LoggedRequest> calls = stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)));
        assertThat(calls).hasSize(2).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly("rebill-refill:acme-agency/acme-gym:5");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void shouldCreditAReplayedAnswerOnceWhenTheRequestIsRedeliveredUnderTheSameKey() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_replayed", 2500, "succeeded"))
                .withHeader("Idempotent-Replayed", "true")));
        RefillRequest request = request("refill:acme-agency/acme-gym:6", CLIENT, 25_000_000, "USD");

        produce(request);
        produce(request);
        loop.pollOnce();

        assertThat(committed(topics.walletCommands)).hasSize(1);
        assertThat(((TopUp) onlyCommand().getPayload()).getPaymentReference()).isEqualTo("pi_replayed");
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).hasSize(1);
        assertThat(loop.counters().alreadySettled.get()).isEqualTo(1);
        assertThat(committedOffset()).isEqualTo(2);
    }

    @Test
    void shouldNeverChargeARequestWhoseOutcomeIsRecordedEvenAfterStripeForgotTheKey() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_second", 2500, "succeeded"))));
        RefillRequest request = request("refill:acme-agency/acme-gym:7", CLIENT, 25_000_000, "USD");
        outcomes.values.put(request.getRequestId(), RefillOutcome.newBuilder().setRequestId(request.getRequestId())
                .setWalletId(request.getWalletId()).setWorkspaceId(WORKSPACE).setSubAccountId(CLIENT)
                .setStatus(RefillOutcomeStatus.SUCCEEDED).setAmountMicros(25_000_000).setCurrency("USD")
                .setPaymentIntentId("pi_first").setSource(RefillRecords.SOURCE_REQUEST)
                .setDecidedAt(NOW.minus(Duration.ofDays(3))).build());

        produce(request);
        loop.pollOnce();

        assertThat(committed(topics.walletCommands)).isEmpty();
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).isEmpty();
        assertThat(committedOffset()).isEqualTo(1);
        assertThat(cards.refreshes).as("cards on file are re-read before each batch").isEqualTo(1);
        assertThat(outcomes.refreshes).isEqualTo(1);
    }

    @Test
    void shouldHoldTheRequestWithoutAnOutcomeWhenStripeTimesOutAndChargeItLaterUnderTheSameKey() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, paymentIntent("pi_late", 2500, "succeeded")).withFixedDelay(1_500)));
        RefillRequest request = request("refill:acme-agency/acme-gym:8", CLIENT, 25_000_000, "USD");

        produce(request);
        loop.pollOnce();

        assertThat(committed(topics.walletCommands)).as("no outcome while Stripe's answer is unknown").isEmpty();
        assertThat(committed(topics.refillOutcomes)).isEmpty();
        assertThat(committedOffset()).as("the request stays unconsumed").isNull();
        assertThat(consumer.paused()).containsExactly(partition);
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).hasSize(3);

        stripe.resetAll();
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_late", 2500, "succeeded"))
                .withHeader("Idempotent-Replayed", "true")));
        // The loop seeked back to the request; MockConsumer forgets returned records, so it is fed again.
        nextOffset = 0;
        produce(request);
        loop.pollOnce();
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).as("not asked before the retry time")
                .isEmpty();
        assertThat(consumer.paused()).containsExactly(partition);

        clockMillis.addAndGet(Duration.ofSeconds(31).toMillis());
        loop.pollOnce();

        assertThat(((TopUp) onlyCommand().getPayload()).getPaymentReference()).isEqualTo("pi_late");
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH))))
                .extracting(r -> r.getHeader("Idempotency-Key")).containsExactly("rebill-refill:acme-agency/acme-gym:8");
        assertThat(committedOffset()).isEqualTo(1);
    }

    @Test
    void shouldRecordTheOutcomeAsUnknownForOpsWhenStripeNeverAnswersBeforeTheGiveUpTime() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(500,
                "{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong\"}}")));
        RefillRequest request = request("refill:acme-agency/acme-gym:14", CLIENT, 25_000_000, "USD");

        produce(request);
        loop.pollOnce();
        assertThat(committed(topics.refillOutcomes)).isEmpty();

        clockMillis.addAndGet(Duration.ofHours(6).toMillis());
        nextOffset = 0;
        produce(request);
        loop.pollOnce();

        assertThat(onlyOutcome().getStatus()).isEqualTo(RefillOutcomeStatus.UNKNOWN);
        assertThat(committed(topics.walletCommands)).as("the wallet keeps the refill outstanding").isEmpty();
        BillingNotice notice = (BillingNotice) committed(topics.billingNotices).get(0);
        assertThat(notice.getKind()).isEqualTo(BillingNoticeKind.PAYMENT_OUTCOME_UNKNOWN);
        assertThat(notice.getMessage()).contains("rebill_refill_request_id=refill:acme-agency/acme-gym:14",
                CONNECTED_ACCOUNT);
        assertThat(committedOffset()).isEqualTo(1);
        assertThat(loop.counters().gaveUp.get()).isEqualTo(1);

        int callsSoFar = stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH))).size();
        produce(request);
        loop.pollOnce();
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).as("never charged again").hasSize(callsSoFar);
    }

    @Test
    void shouldNotChargeARequestRedeliveredInALaterTransaction() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_once", 2500, "succeeded"))));
        RefillRequest request = request("refill:acme-agency/acme-gym:15", CLIENT, 25_000_000, "USD");

        produce(request);
        loop.pollOnce();
        produce(request);
        loop.pollOnce();

        assertThat(committed(topics.walletCommands)).hasSize(1);
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).hasSize(1);
        assertThat(loop.counters().alreadySettled.get()).isEqualTo(1);
        assertThat(committedOffset()).isEqualTo(2);
    }

    @Test
    void shouldNotChargeTheAgencysCardWhenTheSubAccountHasNone() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_wrong", 2500, "succeeded"))));
        cards.values.remove(WORKSPACE + "/" + CLIENT);

        produce(request("refill:acme-agency/acme-gym:9", CLIENT, 25_000_000, "USD"));
        loop.pollOnce();

        RefillFailed failed = (RefillFailed) onlyCommand().getPayload();
        assertThat(failed.getFailureCode()).isEqualTo(RefillSettler.NO_PAYMENT_METHOD);
        assertThat(((BillingNotice) committed(topics.billingNotices).get(0)).getKind())
                .isEqualTo(BillingNoticeKind.NO_PAYMENT_METHOD);
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).isEmpty();
    }

    @Test
    void shouldTurnAnOfflineWalletsRefillIntoANoticeAndChargeNothing() {
        RefillRequest request = request("refill:acme-agency/acme-gym:10", CLIENT, 40_000_000, "USD");
        request.setOfflinePayment(true);

        produce(request);
        loop.pollOnce();

        assertThat(committed(topics.walletCommands)).as("the wallet waits for the operator's top-up").isEmpty();
        BillingNotice notice = (BillingNotice) committed(topics.billingNotices).get(0);
        assertThat(notice.getKind()).isEqualTo(BillingNoticeKind.AWAITING_OFFLINE_PAYMENT);
        assertThat(notice.getMessage()).contains("rebill wallet credit --workspace acme-agency --sub-account acme-gym "
                + "--amount 40 --currency USD --reference <payment reference> --refill-request "
                + "refill:acme-agency/acme-gym:10");
        assertThat(onlyOutcome().getStatus()).isEqualTo(RefillOutcomeStatus.AWAITING_OFFLINE_PAYMENT);
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)))).isEmpty();
        assertThat(committedOffset()).isEqualTo(1);
    }

    @Test
    void shouldAwaitOfflinePaymentForEveryRefillWhenNoStripeKeyIsConfigured() {
        producer = newProducer();
        RefillRequestLoop offline = loopWith(Optional.empty());

        produce(request("refill:acme-agency:11", null, 40_000_000, "USD"));
        offline.pollOnce();

        assertThat(((BillingNotice) committed(topics.billingNotices).get(0)).getMessage())
                .contains("no Stripe key");
        assertThat(offline.counters().awaitingOfflinePayment.get()).isEqualTo(1);
        assertThat(committed(topics.walletCommands)).isEmpty();
    }

    @Test
    void shouldChargeYenWithoutDecimalsAndCreditWhatWasPaid() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200,
                paymentIntent("pi_yen", 1001, "succeeded").replace("\"usd\"", "\"jpy\""))));

        produce(request("refill:acme-agency:12", null, 1_000_400_000L, "JPY"));
        loop.pollOnce();

        assertThat(onlyStripeCall().getBodyAsString()).contains("amount=1001", "currency=jpy");
        TopUp topUp = (TopUp) onlyCommand().getPayload();
        assertThat(topUp.getAmountMicros()).as("what was paid, rounded up from what was asked").isEqualTo(1_001_000_000L);
        assertThat(topUp.getCurrency()).isEqualTo("JPY");
    }

    @Test
    void shouldDeadLetterUnreadableBytesWithTheReasonAndGoOnWithTheNextRequest() {
        stripe.stubFor(post(urlEqualTo(PI_PATH)).willReturn(json(200, paymentIntent("pi_next", 2500, "succeeded"))));
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        consumer.addRecord(new ConsumerRecord<>(partition.topic(), 0, nextOffset++, "acme-agency".getBytes(StandardCharsets.UTF_8),
                garbage));
        produce(request("refill:acme-agency/acme-gym:13", CLIENT, 25_000_000, "USD"));
        loop.pollOnce();

        ProducerRecord<byte[], byte[]> dead = producer.history().stream()
                .filter(r -> r.topic().equals(topics.billingDeadLetter.name())).findFirst().orElseThrow();
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo(topics.refillRequested.name());
        assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).isNotBlank();
        assertThat(committed(topics.walletCommands)).hasSize(1);
        assertThat(committedOffset()).isEqualTo(2);
    }

    @Test
    void shouldDeadLetterARequestWhoseWalletIdContradictsItsWorkspace() {
        RefillRequest request = request("refill:other/acme-gym:1", CLIENT, 25_000_000, "USD");
        request.setWalletId("other/acme-gym");

        produce(request);
        loop.pollOnce();

        ProducerRecord<byte[], byte[]> dead = producer.history().stream()
                .filter(r -> r.topic().equals(topics.billingDeadLetter.name())).findFirst().orElseThrow();
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("expected wallet 'acme-agency/acme-gym'");
        assertThat(committed(topics.walletCommands)).isEmpty();
        assertThat(committedOffset()).isEqualTo(1);
    }

    private void produce(RefillRequest request) {
        byte[] value = topics.refillRequested.valueSerde().serializer().serialize(partition.topic(), request);
        consumer.addRecord(new ConsumerRecord<>(partition.topic(), 0, nextOffset++,
                request.getWorkspaceId().getBytes(StandardCharsets.UTF_8), value));
    }

    private static RefillRequest request(String id, String subAccount, long micros, String currency) {
        return RefillRequest.newBuilder().setRequestId(id)
                .setWalletId(subAccount == null ? WORKSPACE : WORKSPACE + "/" + subAccount)
                .setWorkspaceId(WORKSPACE).setSubAccountId(subAccount).setAmountMicros(micros).setCurrency(currency)
                .setBalanceMicros(500_000).setThresholdMicros(5_000_000).setRequestedAt(NOW).build();
    }

    private static PaymentMethodOnFile card(String walletId, String subAccount, String account, String customer,
            String method) {
        return PaymentMethodOnFile.newBuilder().setWalletId(walletId).setWorkspaceId(WORKSPACE)
                .setSubAccountId(subAccount).setStripeAccountId(account).setCustomerId(customer)
                .setPaymentMethodId(method).setUpdatedAt(NOW).build();
    }

    private WalletCommand onlyCommand() {
        List<Object> commands = committed(topics.walletCommands);
        assertThat(commands).hasSize(1);
        return (WalletCommand) commands.get(0);
    }

    private RefillOutcome onlyOutcome() {
        List<Object> written = committed(topics.refillOutcomes);
        assertThat(written).hasSize(1);
        return (RefillOutcome) written.get(0);
    }

    private LoggedRequest onlyStripeCall() {
        List<LoggedRequest> calls = stripe.findAll(postRequestedFor(urlEqualTo(PI_PATH)));
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    /** Values the committed transactions wrote to {@code topic}, decoded. */
    private List<Object> committed(Topic<String, ?> topic) {
        assertThat(producer.uncommittedRecords()).as("nothing left in an open transaction").isEmpty();
        return producer.history().stream().filter(r -> r.topic().equals(topic.name()))
                .map(r -> (Object) topic.valueSerde().deserializer().deserialize(topic.name(), r.value())).toList();
    }

    private List<String> committedKeys(Topic<String, ?> topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic.name()))
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    }

    /** The offset the last committed transaction stored for the request partition, or null. */
    private Long committedOffset() {
        List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> history = producer.consumerGroupOffsetsHistory();
        Long offset = null;
        for (Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup : history) {
            for (Map<TopicPartition, OffsetAndMetadata> offsets : byGroup.values()) {
                if (offsets.containsKey(partition)) {
                    offset = offsets.get(partition).offset();
                }
            }
        }
        return offset;
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_test").withBody(body);
    }

    private static String paymentIntent(String id, long amount, String status) {
        return """
                {"id": "%s", "object": "payment_intent", "amount": %d, "amount_received": %d, "currency": "usd",
                 "status": "%s", "customer": "cus_client", "payment_method": "pm_client_visa", "livemode": false,
                 "metadata": {"rebill_refill_request_id": "r"}}""".formatted(id, amount, amount, status);
    }

    private static String cardError(String code, String declineCode, String message) {
        return """
                {"error": {"type": "card_error", "code": "%s", %s "message": "%s",
                  "payment_intent": {"id": "pi_needs_auth", "object": "payment_intent", "amount": 2500,
                    "currency": "usd", "status": "requires_payment_method"}}}"""
                .formatted(code, declineCode == null ? "" : "\"decline_code\": \"" + declineCode + "\",", message);
    }
}
