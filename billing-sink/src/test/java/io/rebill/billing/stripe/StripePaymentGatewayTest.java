package io.rebill.billing.stripe;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rebill.billing.retry.Backoff;
import io.rebill.billing.payment.PaymentRequest;
import io.rebill.billing.payment.PaymentResult;
import io.rebill.billing.retry.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StripePaymentGatewayTest {

    private static final String PAYMENT_INTENTS = "/v1/payment_intents";
    private static final String API_KEY = "sk_test_51RebillGatewayTest";
    private static final Backoff FAST_RETRIES = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3);

    /** A workspace's own wallet: charged on the platform account. */
    private static final PaymentRequest WORKSPACE_REFILL = new PaymentRequest(
            "rr-0001", PaymentRequest.idempotencyKeyFor("rr-0001"), "ws_acme", "ws_acme", null,
            1235, "USD", null, "cus_Platform123", "pm_Platform456");

    /** A client's sub-account wallet: charged on the agency's connected account. */
    private static final PaymentRequest SUB_ACCOUNT_REFILL = new PaymentRequest(
            "rr-0002", PaymentRequest.idempotencyKeyFor("rr-0002"), "ws_agency/sub_client7", "ws_agency",
            "sub_client7", 5000, "usd", "acct_1AgencyConnect", "cus_Client789", "pm_Client012");

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private WireMockServer stripe;

    @BeforeEach
    void startStripe() {
        stripe = new WireMockServer(wireMockConfig().dynamicPort());
        stripe.start();
    }

    @AfterEach
    void stopStripe() {
        stripe.stop();
    }

    @Test
    void chargesAWorkspaceWalletOnThePlatformAccount() {
        stubCreate(json(200, paymentIntent("pi_3Succeeded", 1235, 1235, "succeeded", null)));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Succeeded("pi_3Succeeded", 1235, "USD", false));
        LoggedRequest request = onlyRequest();
        assertThat(form(request, "amount")).isEqualTo("1235");
        assertThat(form(request, "currency")).isEqualTo("usd");
        assertThat(form(request, "customer")).isEqualTo("cus_Platform123");
        assertThat(form(request, "payment_method")).isEqualTo("pm_Platform456");
        assertThat(form(request, "off_session")).isEqualTo("true");
        assertThat(form(request, "confirm")).isEqualTo("true");
        assertThat(form(request, "description")).isEqualTo("Rebill wallet refill ws_acme");
        assertThat(form(request, "metadata[rebill_refill_request_id]")).isEqualTo("rr-0001");
        assertThat(form(request, "metadata[rebill_wallet_id]")).isEqualTo("ws_acme");
        assertThat(form(request, "metadata[rebill_workspace_id]")).isEqualTo("ws_acme");
        assertThat(request.getFormParameters()).doesNotContainKey("metadata[rebill_sub_account_id]");
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("rebill-rr-0001");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.containsHeader("Stripe-Account")).isFalse();
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void chargesASubAccountWalletOnTheAgencysConnectedAccount() {
        stubCreate(json(200, paymentIntent("pi_3Connect", 5000, 5000, "succeeded", null)));

        PaymentResult result = gateway().charge(SUB_ACCOUNT_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Succeeded("pi_3Connect", 5000, "USD", false));
        LoggedRequest request = onlyRequest();
        assertThat(request.getHeader("Stripe-Account")).isEqualTo("acct_1AgencyConnect");
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("rebill-rr-0002");
        assertThat(form(request, "currency")).isEqualTo("usd");
        assertThat(form(request, "customer")).isEqualTo("cus_Client789");
        assertThat(form(request, "metadata[rebill_wallet_id]")).isEqualTo("ws_agency/sub_client7");
        assertThat(form(request, "metadata[rebill_workspace_id]")).isEqualTo("ws_agency");
        assertThat(form(request, "metadata[rebill_sub_account_id]")).isEqualTo("sub_client7");
    }

    @Test
    void reportsAnIdempotentReplay() {
        stubCreate(json(200, paymentIntent("pi_3Replayed", 1235, 1235, "succeeded", null))
                .withHeader("Idempotent-Replayed", "true")
                .withHeader("Original-Request", "req_Original"));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Succeeded("pi_3Replayed", 1235, "USD", true));
    }

    @Test
    void reportsAnInsufficientFundsDecline() {
        stubCreate(json(402, cardError("card_declined", "insufficient_funds", "Your card has insufficient funds.",
                "pi_3Declined")));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Declined("card_declined", "insufficient_funds",
                "Your card has insufficient funds.", "pi_3Declined"));
        assertThat(((PaymentResult.Declined) result).actionRequired()).isFalse();
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PAYMENT_INTENTS)))).hasSize(1);
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void reportsThatTheCardHolderMustAuthenticate() {
        stubCreate(json(402, cardError("authentication_required", "authentication_required",
                "Your card was declined. This transaction requires authentication.", "pi_3NeedsAuth")));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Declined.class);
        PaymentResult.Declined declined = (PaymentResult.Declined) result;
        assertThat(declined.actionRequired()).isTrue();
        assertThat(declined.paymentIntentId()).isEqualTo("pi_3NeedsAuth");
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void reportsAnExpiredCard() {
        stubCreate(json(402, cardError("expired_card", "expired_card", "Your card has expired.", "pi_3Expired")));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Declined("expired_card", "expired_card",
                "Your card has expired.", "pi_3Expired"));
    }

    @Test
    void reportsAPaymentIntentThatNeedsAction() {
        stubCreate(json(200, paymentIntent("pi_3Action", 1235, 0, "requires_action", null)));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Declined.class);
        assertThat(((PaymentResult.Declined) result).actionRequired()).isTrue();
        assertThat(((PaymentResult.Declined) result).paymentIntentId()).isEqualTo("pi_3Action");
    }

    @Test
    void reportsAPaymentIntentThatFailedWithoutAnError() {
        stubCreate(json(200, paymentIntent("pi_3Failed", 1235, 0, "requires_payment_method",
                lastPaymentError("card_declined", "generic_decline", "Your card was declined."))));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Declined("card_declined", "generic_decline",
                "Your card was declined.", "pi_3Failed"));
    }

    @Test
    void leavesAProcessingPaymentToItsWebhook() {
        stubCreate(json(200, paymentIntent("pi_3Processing", 1235, 0, "processing", null)));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Undetermined.class);
        assertThat(((PaymentResult.Undetermined) result).reason()).contains("pi_3Processing", "processing");
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PAYMENT_INTENTS)))).hasSize(1);
    }

    @Test
    void retriesAServerErrorWithTheSameIdempotencyKey() {
        stubCreateInSequence(
                json(500, apiError("api_error", null, "Sorry, something went wrong. We've already been notified.")),
                json(200, paymentIntent("pi_3AfterRetry", 1235, 1235, "succeeded", null)));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Succeeded("pi_3AfterRetry", 1235, "USD", false));
        assertThat(idempotencyKeysSent()).containsExactly("rebill-rr-0001", "rebill-rr-0001");
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void retriesWhenRateLimited() {
        stubCreateInSequence(
                json(429, apiError("invalid_request_error", "rate_limit",
                        "Too many requests hit the API too quickly.")),
                json(200, paymentIntent("pi_3AfterRateLimit", 1235, 1235, "succeeded", null)));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Succeeded("pi_3AfterRateLimit", 1235, "USD", false));
        assertThat(idempotencyKeysSent()).containsExactly("rebill-rr-0001", "rebill-rr-0001");
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void retriesWhileAConcurrentRequestWithTheSameKeyIsRunning() {
        stubCreateInSequence(
                json(409, apiError("idempotency_error", null, "There is currently another in-progress request "
                        + "using this Stripe-Idempotency-Key (that probably means you submitted twice, and "
                        + "that's fine). Please try again later.")),
                json(200, paymentIntent("pi_3AfterConflict", 1235, 1235, "succeeded", null))
                        .withHeader("Idempotent-Replayed", "true"));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Succeeded("pi_3AfterConflict", 1235, "USD", true));
        assertThat(idempotencyKeysSent()).containsExactly("rebill-rr-0001", "rebill-rr-0001");
    }

    @Test
    void givesUpUndeterminedWhenEveryAttemptTimesOut() {
        stubCreate(json(200, paymentIntent("pi_3TooSlow", 1235, 1235, "succeeded", null))
                .withFixedDelay(1_000));
        StripeSettings settings = settings().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300));

        PaymentResult result = new StripePaymentGateway(settings, sleeper).charge(WORKSPACE_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Undetermined.class);
        assertThat(((PaymentResult.Undetermined) result).reason()).contains("3 attempts").containsIgnoringCase("timed out");
        // WireMock may journal a delayed request only after its (too late) response is written.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(idempotencyKeysSent()).hasSize(3));
        assertThat(idempotencyKeysSent()).containsOnly("rebill-rr-0001");
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void givesUpUndeterminedWhenStripeCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StripeSettings settings = settings().withApiBase("http://localhost:" + closedPort);

        PaymentResult result = new StripePaymentGateway(settings, sleeper).charge(WORKSPACE_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Undetermined.class);
        assertThat(((PaymentResult.Undetermined) result).reason()).contains("ConnectException");
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void declinesAChargeForAMissingPaymentMethodWithoutRetrying() {
        stubCreate(json(400, apiError("invalid_request_error", "resource_missing",
                "No such PaymentMethod: 'pm_Platform456'")));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isEqualTo(new PaymentResult.Declined("resource_missing", null,
                "No such PaymentMethod: 'pm_Platform456'", null));
        assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PAYMENT_INTENTS)))).hasSize(1);
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void declinesWhenTheAgencyRevokedAccessToItsAccount() {
        stubCreate(json(403, apiError("invalid_request_error", null,
                "The provided key does not have access to account 'acct_1AgencyConnect' (or that account "
                        + "does not exist). Application access may have been revoked.")));

        PaymentResult result = gateway().charge(SUB_ACCOUNT_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Declined.class);
        assertThat(((PaymentResult.Declined) result).failureCode()).isEqualTo("permission_denied");
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void leavesTheOutcomeUndeterminedWhenTheKeyWasUsedForOtherParameters() {
        // The first attempt under this key may have charged the card: reporting a decline would let the
        // wallet ask again under a new key.
        stubCreate(json(400, apiError("idempotency_error", null, "Keys for idempotent requests can only be used "
                + "with the same parameters they were first used with.")));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Undetermined.class);
        assertThat(((PaymentResult.Undetermined) result).reason()).contains("first used with other parameters");
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void retriesAWrongApiKeyAndThenGivesUpUndetermined() {
        stubCreate(json(401, apiError("invalid_request_error", null,
                "Invalid API Key provided: sk_test_***********Test")));

        PaymentResult result = gateway().charge(WORKSPACE_REFILL);

        assertThat(result).isInstanceOf(PaymentResult.Undetermined.class);
        assertThat(((PaymentResult.Undetermined) result).reason()).contains("401");
        assertThat(idempotencyKeysSent()).containsExactly("rebill-rr-0001", "rebill-rr-0001", "rebill-rr-0001");
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void givesUpUndeterminedWhenInterruptedWhileWaitingToRetry() {
        stubCreate(json(503, apiError("api_error", null, "Service unavailable")));
        Sleeper interrupted = duration -> {
            throw new InterruptedException("shutting down");
        };

        try {
            PaymentResult result = new StripePaymentGateway(settings(), interrupted).charge(WORKSPACE_REFILL);

            assertThat(result).isInstanceOf(PaymentResult.Undetermined.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(stripe.findAll(postRequestedFor(urlEqualTo(PAYMENT_INTENTS)))).hasSize(1);
        } finally {
            Thread.interrupted();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private StripeSettings settings() {
        return StripeSettings.withDefaults(API_KEY)
                .withApiBase(stripe.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withRetries(FAST_RETRIES);
    }

    private StripePaymentGateway gateway() {
        return new StripePaymentGateway(settings(), sleeper);
    }

    private void stubCreate(ResponseDefinitionBuilder response) {
        stripe.stubFor(createPaymentIntent().willReturn(response));
    }

    private void stubCreateInSequence(ResponseDefinitionBuilder first, ResponseDefinitionBuilder second) {
        stripe.stubFor(createPaymentIntent().inScenario("retry").whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("answered once"));
        stripe.stubFor(createPaymentIntent().inScenario("retry").whenScenarioStateIs("answered once")
                .willReturn(second));
    }

    private static MappingBuilder createPaymentIntent() {
        return post(urlEqualTo(PAYMENT_INTENTS));
    }

    private LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = stripe.findAll(postRequestedFor(urlEqualTo(PAYMENT_INTENTS)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private List<String> idempotencyKeysSent() {
        return stripe.findAll(postRequestedFor(urlEqualTo(PAYMENT_INTENTS))).stream()
                .map(request -> request.getHeader("Idempotency-Key"))
                .toList();
    }

    private static String form(LoggedRequest request, String name) {
        assertThat(request.getFormParameters()).containsKey(name);
        return request.formParameter(name).firstValue();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_" + status + "Test")
                .withBody(body);
    }

    /** A PaymentIntent as Stripe's API returns it (fields the gateway ignores trimmed). */
    static String paymentIntent(String id, long amount, long amountReceived, String status, String lastPaymentError) {
        return """
                {
                  "id": "%s",
                  "object": "payment_intent",
                  "amount": %d,
                  "amount_capturable": 0,
                  "amount_received": %d,
                  "capture_method": "automatic_async",
                  "client_secret": "%s_secret_abc",
                  "confirmation_method": "automatic",
                  "created": 1785585600,
                  "currency": "usd",
                  "customer": "cus_Platform123",
                  "description": "Rebill wallet refill ws_acme",
                  "last_payment_error": %s,
                  "latest_charge": "ch_3Test",
                  "livemode": false,
                  "metadata": {
                    "rebill_refill_request_id": "rr-0001",
                    "rebill_wallet_id": "ws_acme",
                    "rebill_workspace_id": "ws_acme"
                  },
                  "payment_method": "pm_Platform456",
                  "payment_method_types": ["card"],
                  "status": "%s"
                }
                """.formatted(id, amount, amountReceived, id,
                lastPaymentError == null ? "null" : lastPaymentError, status);
    }

    static String lastPaymentError(String code, String declineCode, String message) {
        return """
                {"type": "card_error", "code": "%s", "decline_code": "%s", "message": "%s",
                 "doc_url": "https://stripe.com/docs/error-codes/%s"}
                """.formatted(code, declineCode, message, code);
    }

    /** Stripe's 402 body: the error names the PaymentIntent left in requires_payment_method. */
    private static String cardError(String code, String declineCode, String message, String paymentIntentId) {
        return """
                {
                  "error": {
                    "charge": "ch_3Declined",
                    "code": "%s",
                    "decline_code": "%s",
                    "doc_url": "https://stripe.com/docs/error-codes/%s",
                    "message": "%s",
                    "payment_intent": %s,
                    "request_log_url": "https://dashboard.stripe.com/test/logs/req_402Test",
                    "type": "card_error"
                  }
                }
                """.formatted(code, declineCode, code, message,
                paymentIntent(paymentIntentId, 1235, 0, "requires_payment_method",
                        lastPaymentError(code, declineCode, message)));
    }

    private static String apiError(String type, String code, String message) {
        return """
                {"error": {"type": "%s", %s"message": "%s"}}
                """.formatted(type, code == null ? "" : "\"code\": \"" + code + "\", ", message);
    }

    /** Records the backoff instead of waiting for it. */
    private static final class RecordingSleeper implements Sleeper {
        final List<Duration> delays = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            delays.add(duration);
        }
    }
}
