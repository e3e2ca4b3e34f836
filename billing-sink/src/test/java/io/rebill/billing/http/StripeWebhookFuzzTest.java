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
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.topics.Topics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded random abuse of billing-sink's Stripe webhook endpoint, with a refill on record that a
 * genuine event would credit: unsigned, wrongly signed, stale and tampered bodies, malformed
 * signature headers, signed bodies that are not Stripe events, oversized bodies, wrong paths and
 * methods. Each is answered with a 4xx, or (for a correctly signed body that is no refill event)
 * a 200 that applies nothing; never a 5xx. The producer must have sent nothing, and the genuine
 * event sent last must still credit the refill once, so "nothing written" is not for want of a
 * working writer. Rerun a failure with {@code -Drebill.fuzz.seed=N}.
 */
class StripeWebhookFuzzTest {

    private static final long SEED = Long.getLong("rebill.fuzz.seed", 20261122L);
    private static final String SECRET = "whsec_fuzz_test";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String REQUEST = "refill:acme-agency/acme-gym:3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://webhook-fuzz-test"));
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Outcomes outcomes = new Outcomes();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(SEED);
    private final List<String> failures = new ArrayList<>();
    private BillingHttpServer server;
    private int requests;

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
                List.of(new StripeWebhookEvents(SECRET, 300, clock)), writer, () -> true).start();
        // A refill the loop recorded as failed: a genuine success event for it would credit the wallet.
        outcomes.remember(REQUEST, RefillOutcome.newBuilder().setRequestId(REQUEST).setWalletId("acme-agency/acme-gym")
                .setStripeAccountId("acct_1Agency").setPaymentIntentId("pi_fuzz")
                .setWorkspaceId("acme-agency").setSubAccountId("acme-gym").setStatus(RefillOutcomeStatus.FAILED)
                .setAmountMicros(25_000_000).setCurrency("USD").setFailureCode("authentication_required")
                .setSource(RefillRecords.SOURCE_REQUEST).setDecidedAt(NOW.minusSeconds(600)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldRefuseEveryMalformedOrBadlySignedWebhookWithoutWritingAndStillTakeTheGenuineOne() throws Exception {
        String seed = "seed " + SEED + " (rerun with -Drebill.fuzz.seed=" + SEED + ")";
        String genuine = event("evt_fuzz", "payment_intent.succeeded", paymentIntent());
        long now = NOW.getEpochSecond();

        for (int i = 0; i < 60; i++) {
            // Random bytes, unsigned and signed with a made-up secret.
            byte[] bytes = new byte[random.nextInt(4_096)];
            random.nextBytes(bytes);
            String body = new String(bytes, StandardCharsets.UTF_8);
            expectRefused("random bytes, unsigned", post(body, null));
            expectRefused("random bytes, wrong secret", post(body, sign(body, now, "whsec_attacker")));
        }
        for (int i = 0; i < 60; i++) {
            // The genuine event tampered with, under the genuine event's signature.
            String tampered = tamper(genuine);
            if (!tampered.equals(genuine)) {
                expectRefused("tampered body", post(tampered, sign(genuine, now, SECRET)));
            }
        }
        // The genuine event under signatures that must not pass.
        expectRefused("wrong secret", post(genuine, sign(genuine, now, "whsec_attacker")));
        expectRefused("secret as a prefix", post(genuine, sign(genuine, now, SECRET + "x")));
        expectRefused("stale by 301 s", post(genuine, sign(genuine, now - 301, SECRET)));
        expectRefused("stale by a day", post(genuine, sign(genuine, now - 86_400, SECRET)));
        expectRefused("timestamp not the signed one", post(genuine,
                "t=" + (now - 1) + ",v1=" + hmac(genuine, now, SECRET)));
        expectRefused("missing header", post(genuine, null));
        for (String header : List.of("", " ", "t=", "v1=", "t=abc,v1=def", "t=" + now, "v1=" + hmac(genuine, now, SECRET),
                "t=" + now + ",v0=" + hmac(genuine, now, SECRET), "t=" + now + ",v1=" + "0".repeat(64),
                "t=" + now + ",v1=" + hmac(genuine, now, SECRET).toUpperCase(),
                "t=99999999999999999999,v1=" + hmac(genuine, now, SECRET), "t=-1,v1=00",
                "t=" + now + ",v1=" + "ab".repeat(5_000), ",,,,", "t=" + now + ",v1=" + hmac(genuine, now, SECRET) + "x")) {
            expectRefused("signature header '" + abbreviate(header) + "'", post(genuine, header));
        }
        for (int i = 0; i < 40; i++) {
            expectRefused("random signature header", post(genuine, randomPrintable(1 + random.nextInt(300))));
        }
        // Correctly signed, but not a refill event: refused, or acknowledged with nothing applied.
        List<String> signedJunk = new ArrayList<>(List.of("{", "[]", "null", "42", "\"event\"", "{}",
                "{\"id\": \"evt_x\", \"object\": \"event\"}",
                event("evt_a", "payment_intent.succeeded", "42"),
                event("evt_b", "payment_intent.succeeded", "{\"object\": \"customer\", \"id\": \"cus_1\"}"),
                event("evt_c", "payment_intent.succeeded", paymentIntent().replace("\"amount\": 2500", "\"amount\": \"lots\"")),
                event("evt_d", "payment_intent.succeeded", paymentIntent().replace("\"rebill_refill_request_id\"", "\"x\"")),
                event("evt_e", "payment_intent.succeeded", paymentIntent().replace(REQUEST, "refill:ghost/ghost:1")),
                event("evt_f", "payment_intent.succeeded", paymentIntent().replace("\"currency\": \"usd\"", "\"currency\": null")),
                event("evt_g", "payment_intent.succeeded", paymentIntent().replace("2500", "-2500")),
                event("evt_h", "payment_intent.succeeded", paymentIntent().replace("acme-agency/acme-gym", "../../etc")),
                event("evt_i", "payment_intent.payment_failed", paymentIntent()),
                event("evt_j", "charge.refunded", paymentIntent())));
        for (int i = 0; i < 40; i++) {
            signedJunk.add(genuine.substring(0, random.nextInt(genuine.length())));
        }
        for (String body : signedJunk) {
            HttpResponse<String> response = post(body, sign(body, now, SECRET));
            boolean acknowledgedOnly = response.statusCode() == 200 && !appliedIn(response);
            if (!acknowledgedOnly && !isClientError(response.statusCode())) {
                failures.add("signed junk '" + abbreviate(body) + "' -> " + response.statusCode() + " "
                        + abbreviate(response.body()));
            }
        }
        // Too big, before any signature is looked at.
        String huge = genuine + " ".repeat(BillingHttpServer.MAX_BODY_BYTES);
        HttpResponse<String> oversized = post(huge, sign(huge, now, SECRET));
        if (oversized.statusCode() != 413) {
            failures.add("oversized body -> " + oversized.statusCode());
        }
        // Other paths and methods.
        for (String path : List.of("/webhooks/stripe/", "/webhooks/stripe/../stripe", "/webhooks/stripe%2F",
                "/webhooks/STRIPE", "/webhooks", "/webhooks/stripe;x", "/%2e%2e/webhooks/stripe",
                "/webhooks/stripe/" + "a".repeat(10_000))) {
            expectRefused("POST " + abbreviate(path), send("POST", path, genuine, sign(genuine, now, SECRET)));
        }
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            expectRefused(method, send(method, BillingHttpServer.STRIPE_WEBHOOK_PATH, genuine, sign(genuine, now, SECRET)));
        }

        assertThat(failures).as("%s: of %d requests, those not refused", seed, requests).isEmpty();
        assertThat(producer.history()).as("%s: records written", seed).isEmpty();
        assertThat(producer.transactionInFlight()).as(seed).isFalse();

        // The control: the genuine event credits the refill, once.
        HttpResponse<String> accepted = post(genuine, sign(genuine, now, SECRET));
        assertThat(accepted.statusCode()).as(seed).isEqualTo(200);
        assertThat(appliedIn(accepted)).as(seed).isTrue();
        assertThat(producer.history()).as(seed)
                .filteredOn(r -> r.topic().equals(topics.walletCommands.name())).hasSize(1);
        System.out.printf("StripeWebhookFuzzTest %s: %d malformed requests refused%n", seed, requests);
    }

    private void expectRefused(String what, HttpResponse<String> response) {
        if (!isClientError(response.statusCode())) {
            failures.add(what + " -> " + response.statusCode() + " " + abbreviate(response.body()));
        }
    }

    private static boolean isClientError(int status) {
        return status >= 400 && status < 500;
    }

    private static boolean appliedIn(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.path("applied").asBoolean(true);
        } catch (Exception e) {
            return true;
        }
    }

    /** One random edit: a character changed, dropped or added, or the body cut short. */
    private String tamper(String body) {
        char[] chars = body.toCharArray();
        int at = random.nextInt(chars.length);
        return switch (random.nextInt(4)) {
            case 0 -> {
                chars[at] = (char) (chars[at] == '9' ? '8' : chars[at] + 1);
                yield new String(chars);
            }
            case 1 -> body.substring(0, at) + body.substring(at + 1);
            case 2 -> body.substring(0, at) + (char) (' ' + random.nextInt(95)) + body.substring(at);
            default -> new String(Arrays.copyOf(chars, at));
        };
    }

    private String randomPrintable(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) ('!' + random.nextInt(94)));
        }
        return out.toString();
    }

    private HttpResponse<String> post(String body, String signature) throws Exception {
        return send("POST", BillingHttpServer.STRIPE_WEBHOOK_PATH, body, signature);
    }

    private HttpResponse<String> send(String method, String path, String body, String signature) throws Exception {
        requests++;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String body, long timestamp, String secret) throws Exception {
        return "t=" + timestamp + ",v1=" + hmac(body, timestamp, secret);
    }

    private static String hmac(String body, long timestamp, String secret) {
        try {
            return Webhook.Util.computeHmacSha256(secret, timestamp + "." + body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…(" + text.length() + " chars)";
    }

    private static String event(String id, String type, String object) {
        return """
                {"id": "%s", "object": "event", "api_version": "%s", "created": %d, "livemode": false,
                 "pending_webhooks": 1, "type": "%s", "account": "acct_1Agency",
                 "data": {"object": %s}}""".formatted(id, Stripe.API_VERSION, NOW.getEpochSecond() - 5, type, object);
    }

    private static String paymentIntent() {
        return """
                {"id": "pi_fuzz", "object": "payment_intent", "amount": 2500, "amount_received": 2500,
                 "currency": "usd", "status": "succeeded", "last_payment_error": null, "livemode": false,
                 "metadata": {"rebill_refill_request_id": "%s", "rebill_wallet_id": "acme-agency/acme-gym",
                   "rebill_workspace_id": "acme-agency", "rebill_sub_account_id": "acme-gym"}}""".formatted(REQUEST);
    }
}
