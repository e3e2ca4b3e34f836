package io.rebill.billing.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.Stripe;
import com.stripe.net.Webhook;
import io.rebill.billing.refill.RefillRecords;
import io.rebill.billing.refill.WebhookSettler;
import io.rebill.billing.sink.KeyedView;
import io.rebill.billing.sink.WebhookOutcomeWriter;
import io.rebill.billing.stripe.StripeWebhookEvents;
import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.BillingNoticeKind;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe's webhooks through the real HTTP endpoint: the signature is checked on the raw body with
 * stripe-java, a bad or stale one is refused with 400 and writes nothing, and an event only adds
 * what is not recorded yet.
 */
class StripeWebhookEndpointTest {

    private static final String SECRET = "whsec_endpoint_test";
    private static final String CONNECT_SECRET = "whsec_connect_endpoint_test";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String REQUEST = "refill:acme-agency/acme-gym:3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://webhook-endpoint-test"));
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Outcomes outcomes = new Outcomes();
    private final HttpClient http = HttpClient.newHttpClient();
    private BillingHttpServer server;

    /** The outcome view without a broker: only what this process remembered. */
    private static final class Outcomes implements KeyedView<RefillOutcome> {
        private final Map<String, RefillOutcome> values = new ConcurrentHashMap<>();

        @Override
        public Optional<RefillOutcome> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public void refresh() {
        }

        @Override
        public void remember(String key, RefillOutcome value) {
            values.put(key, value);
        }
    }

    @BeforeEach
    void start() throws Exception {
        WebhookOutcomeWriter writer = new WebhookOutcomeWriter(() -> producer, topics, new WebhookSettler(clock),
                outcomes);
        server = new BillingHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                List.of(new StripeWebhookEvents(SECRET, 300, clock),
                        new StripeWebhookEvents(CONNECT_SECRET, 300, clock)), writer, () -> true).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldCreditAPaymentTheClientCompletedAfterAuthenticatingAndIgnoreTheSameEventAgain() throws Exception {
        outcomes.remember(REQUEST, failedOutcome());
        String body = event("evt_1", "payment_intent.succeeded", paymentIntent("succeeded", "null"));

        HttpResponse<String> first = post(body, sign(body, NOW.getEpochSecond(), SECRET));
        HttpResponse<String> again = post(body, sign(body, NOW.getEpochSecond(), SECRET));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).path("applied").asBoolean()).isTrue();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("applied").asBoolean()).as("already applied").isFalse();
        List<Object> commands = committed(topics.walletCommands);
        assertThat(commands).hasSize(1);
        WalletCommand command = (WalletCommand) commands.get(0);
        assertThat(command.getCommandId()).isEqualTo(RefillRecords.paidCommandId(REQUEST));
        TopUp topUp = (TopUp) command.getPayload();
        assertThat(topUp.getAmountMicros()).isEqualTo(25_000_000);
        assertThat(topUp.getPaymentReference()).isEqualTo("pi_auth_later");
        assertThat(topUp.getRefillRequestId()).isEqualTo(REQUEST);
        assertThat(((RefillOutcome) committed(topics.refillOutcomes).get(0)).getSource())
                .isEqualTo(RefillRecords.SOURCE_WEBHOOK);
    }

    @Test
    void shouldRefuseABadSignatureWith400AndWriteNothing() throws Exception {
        String body = event("evt_2", "payment_intent.succeeded", paymentIntent("succeeded", "null"));

        HttpResponse<String> wrongSecret = post(body, sign(body, NOW.getEpochSecond(), "whsec_attacker"));
        HttpResponse<String> tampered = post(body.replace("2500", "250000"), sign(body, NOW.getEpochSecond(), SECRET));
        HttpResponse<String> stale = post(body, sign(body, NOW.getEpochSecond() - 3_600, SECRET));
        HttpResponse<String> unsigned = post(body, null);

        assertThat(List.of(wrongSecret, tampered, stale, unsigned)).extracting(HttpResponse::statusCode)
                .containsOnly(400);
        assertThat(JSON.readTree(stale.body()).path("error").asText()).isNotBlank();
        assertThat(producer.history()).isEmpty();
        assertThat(producer.transactionInFlight()).isFalse();
    }

    @Test
    void shouldAcceptEventsSignedWithTheConnectEndpointsSecretToo() throws Exception {
        outcomes.remember(REQUEST, failedOutcome());
        String body = event("evt_6", "payment_intent.succeeded", paymentIntent("succeeded", "null"));

        HttpResponse<String> response = post(body, sign(body, NOW.getEpochSecond(), CONNECT_SECRET));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(committed(topics.walletCommands)).hasSize(1);
    }

    @Test
    void shouldCreditNothingForAPaymentThatIsNotTheOneTheSinkMade() throws Exception {
        String body = event("evt_7", "payment_intent.succeeded", paymentIntent("succeeded", "null"));

        HttpResponse<String> unknownRequest = post(body, sign(body, NOW.getEpochSecond(), SECRET));
        outcomes.remember(REQUEST, RefillOutcome.newBuilder(failedOutcome()).setStripeAccountId("acct_other").build());
        HttpResponse<String> otherAccount = post(body, sign(body, NOW.getEpochSecond(), SECRET));
        outcomes.remember(REQUEST, RefillOutcome.newBuilder(failedOutcome()).setPaymentIntentId("pi_the_sinks").build());
        HttpResponse<String> otherIntent = post(body, sign(body, NOW.getEpochSecond(), SECRET));

        assertThat(List.of(unknownRequest, otherAccount, otherIntent)).extracting(HttpResponse::statusCode)
                .containsOnly(200);
        assertThat(JSON.readTree(otherAccount.body()).path("detail").asText()).contains("acct_other");
        assertThat(JSON.readTree(otherIntent.body()).path("detail").asText()).contains("pi_the_sinks");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRecordAFailureForAPaymentOfUnknownOutcomeOnceAndAskForAuthentication() throws Exception {
        outcomes.remember(REQUEST, RefillOutcome.newBuilder(failedOutcome()).setStatus(RefillOutcomeStatus.UNKNOWN)
                .setFailureCode(null).build());
        String error = """
                {"type": "card_error", "code": "authentication_required", "message": "Authenticate this payment."}""";
        String body = event("evt_3", "payment_intent.payment_failed", paymentIntent("requires_payment_method", error));

        HttpResponse<String> first = post(body, sign(body, NOW.getEpochSecond(), SECRET));
        HttpResponse<String> again = post(body, sign(body, NOW.getEpochSecond(), SECRET));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        List<Object> commands = committed(topics.walletCommands);
        assertThat(commands).hasSize(1);
        RefillFailed failed = (RefillFailed) ((WalletCommand) commands.get(0)).getPayload();
        assertThat(failed.getFailureCode()).isEqualTo("authentication_required");
        assertThat(((BillingNotice) committed(topics.billingNotices).get(0)).getKind())
                .isEqualTo(BillingNoticeKind.ACTION_REQUIRED);
    }

    @Test
    void shouldNotTakeBackMoneyWhenAFailureArrivesAfterTheSuccess() throws Exception {
        outcomes.remember(REQUEST, RefillOutcome.newBuilder(failedOutcome()).setStatus(RefillOutcomeStatus.SUCCEEDED)
                .build());
        String body = event("evt_4", "payment_intent.payment_failed", paymentIntent("requires_payment_method", "null"));

        HttpResponse<String> response = post(body, sign(body, NOW.getEpochSecond(), SECRET));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("applied").asBoolean()).isFalse();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldAcknowledgeEventsItDoesNotHandleWithoutWriting() throws Exception {
        String body = event("evt_5", "customer.created", "{\"id\": \"cus_1\", \"object\": \"customer\"}");

        HttpResponse<String> response = post(body, sign(body, NOW.getEpochSecond(), SECRET));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("applied").asBoolean()).isFalse();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAnOversizedBodyAndAnswerHealth() throws Exception {
        String huge = "x".repeat(BillingHttpServer.MAX_BODY_BYTES + 1);

        assertThat(post(huge, sign(huge, NOW.getEpochSecond(), SECRET)).statusCode()).isEqualTo(413);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        assertThat(producer.history()).isEmpty();
    }

    private RefillOutcome failedOutcome() {
        return RefillOutcome.newBuilder().setRequestId(REQUEST).setWalletId("acme-agency/acme-gym")
                .setStripeAccountId("acct_1Agency").setPaymentIntentId("pi_auth_later")
                .setWorkspaceId("acme-agency").setSubAccountId("acme-gym").setStatus(RefillOutcomeStatus.FAILED)
                .setAmountMicros(25_000_000).setCurrency("USD").setFailureCode("authentication_required")
                .setSource(RefillRecords.SOURCE_REQUEST).setDecidedAt(NOW.minusSeconds(600)).build();
    }

    private HttpResponse<String> post(String body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(BillingHttpServer.STRIPE_WEBHOOK_PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private List<Object> committed(Topic<String, ?> topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic.name()))
                .map(r -> (Object) topic.valueSerde().deserializer().deserialize(topic.name(), r.value())).toList();
    }

    private static String sign(String body, long timestamp, String secret) throws Exception {
        return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + body);
    }

    private static String event(String id, String type, String object) {
        return """
                {"id": "%s", "object": "event", "api_version": "%s", "created": %d, "livemode": false,
                 "pending_webhooks": 1, "type": "%s", "account": "acct_1Agency",
                 "data": {"object": %s}}""".formatted(id, Stripe.API_VERSION, NOW.getEpochSecond() - 5, type, object);
    }

    private static String paymentIntent(String status, String lastPaymentError) {
        return """
                {"id": "pi_auth_later", "object": "payment_intent", "amount": 2500, "amount_received": %d,
                 "currency": "usd", "status": "%s", "last_payment_error": %s, "livemode": false,
                 "metadata": {"rebill_refill_request_id": "%s", "rebill_wallet_id": "acme-agency/acme-gym",
                   "rebill_workspace_id": "acme-agency", "rebill_sub_account_id": "acme-gym"}}"""
                .formatted(status.equals("succeeded") ? 2500 : 0, status, lastPaymentError, REQUEST);
    }
}
