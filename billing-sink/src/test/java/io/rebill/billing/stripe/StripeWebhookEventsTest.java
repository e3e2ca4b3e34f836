package io.rebill.billing.stripe;

import com.stripe.Stripe;
import com.stripe.net.Webhook;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripeWebhookEventsTest {

    private static final String SECRET = "whsec_RebillWebhookTestSecret";
    private static final Instant NOW = Instant.parse("2026-08-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final StripeWebhookEvents webhooks = new StripeWebhookEvents(SECRET, 300, CLOCK);

    @Test
    void parsesASucceededPaymentOnTheAgencysAccount() throws Exception {
        String body = event("evt_1Succeeded", "payment_intent.succeeded", Stripe.API_VERSION, "acct_1AgencyConnect",
                paymentIntent("pi_3Paid", 5000, 5000, "succeeded", SUB_ACCOUNT_METADATA, "null"));

        Optional<PaymentEvent> parsed = webhooks.verifyAndParse(body, sign(body, NOW.getEpochSecond(), SECRET));

        assertThat(parsed).contains(new PaymentEvent("evt_1Succeeded", PaymentEvent.Type.SUCCEEDED, "pi_3Paid",
                "rr-0002", "ws_agency/sub_client7", "ws_agency", "sub_client7", 5000, "USD",
                null, null, null, "acct_1AgencyConnect"));
    }

    @Test
    void parsesAFailedPaymentOnThePlatformAccount() throws Exception {
        String body = event("evt_1Failed", "payment_intent.payment_failed", Stripe.API_VERSION, null,
                paymentIntent("pi_3Unpaid", 1235, 0, "requires_payment_method", WORKSPACE_METADATA,
                        """
                        {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                         "message": "Your card has insufficient funds."}"""));

        PaymentEvent parsed = webhooks.verifyAndParse(body, sign(body, NOW.getEpochSecond(), SECRET)).orElseThrow();

        assertThat(parsed).isEqualTo(new PaymentEvent("evt_1Failed", PaymentEvent.Type.FAILED, "pi_3Unpaid",
                "rr-0001", "ws_acme", "ws_acme", null, 1235, "USD",
                "card_declined", "insufficient_funds", "Your card has insufficient funds.", null));
    }

    @Test
    void readsEventsOfAnotherApiVersion() throws Exception {
        String body = event("evt_1OldVersion", "payment_intent.succeeded", "2024-06-20", null,
                paymentIntent("pi_3Old", 1235, 1235, "succeeded", WORKSPACE_METADATA, "null"));

        PaymentEvent parsed = webhooks.verifyAndParse(body, sign(body, NOW.getEpochSecond(), SECRET)).orElseThrow();

        assertThat(parsed.paymentIntentId()).isEqualTo("pi_3Old");
        assertThat(parsed.amountMinor()).isEqualTo(1235);
        assertThat(parsed.refillRequestId()).isEqualTo("rr-0001");
    }

    @Test
    void rejectsANegativeAmountEvenWhenSigned() {
        String body = event("evt_1Negative", "payment_intent.succeeded", Stripe.API_VERSION, null,
                paymentIntent("pi_3Negative", -2500, -2500, "succeeded", WORKSPACE_METADATA, "null"));
        String header = sign(body, NOW.getEpochSecond(), SECRET);

        assertThatThrownBy(() -> webhooks.verifyAndParse(body, header))
                .isInstanceOf(InvalidWebhookException.class)
                .hasMessageContaining("negative amount");
    }

    @Test
    void acceptsASignatureWithinTheTolerance() throws Exception {
        String body = succeededEvent();
        String header = sign(body, NOW.minusSeconds(299).getEpochSecond(), SECRET);

        assertThat(webhooks.verifyAndParse(body, header)).isPresent();
    }

    @Test
    void rejectsAWrongSecret() {
        String body = succeededEvent();
        String header = sign(body, NOW.getEpochSecond(), "whsec_SomebodyElse");

        assertThatThrownBy(() -> webhooks.verifyAndParse(body, header))
                .isInstanceOf(InvalidWebhookException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void rejectsAStaleSignature() {
        String body = succeededEvent();
        String header = sign(body, NOW.getEpochSecond(), SECRET);
        StripeWebhookEvents tenMinutesLater =
                new StripeWebhookEvents(SECRET, 300, Clock.offset(CLOCK, java.time.Duration.ofMinutes(10)));

        assertThatThrownBy(() -> tenMinutesLater.verifyAndParse(body, header))
                .isInstanceOf(InvalidWebhookException.class)
                .hasMessageContaining("tolerance");
    }

    @Test
    void rejectsATamperedBody() {
        String body = succeededEvent();
        String header = sign(body, NOW.getEpochSecond(), SECRET);
        String tampered = body.replace("\"amount_received\": 1235", "\"amount_received\": 99999");
        assertThat(tampered).isNotEqualTo(body);

        assertThatThrownBy(() -> webhooks.verifyAndParse(tampered, header))
                .isInstanceOf(InvalidWebhookException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void rejectsAMissingSignature() {
        String body = succeededEvent();

        assertThatThrownBy(() -> webhooks.verifyAndParse(body, null))
                .isInstanceOf(InvalidWebhookException.class)
                .hasMessageContaining("missing Stripe-Signature");
        assertThatThrownBy(() -> webhooks.verifyAndParse(body, ""))
                .isInstanceOf(InvalidWebhookException.class);
        assertThatThrownBy(() -> webhooks.verifyAndParse(body, "garbage"))
                .isInstanceOf(InvalidWebhookException.class);
        assertThatThrownBy(() -> webhooks.verifyAndParse(body, "t=notanumber,v1=abc"))
                .isInstanceOf(InvalidWebhookException.class);
    }

    @Test
    void rejectsASignedBodyThatIsNotAnEvent() {
        String body = "this is not json";

        assertThatThrownBy(() -> webhooks.verifyAndParse(body, sign(body, NOW.getEpochSecond(), SECRET)))
                .isInstanceOf(InvalidWebhookException.class)
                .hasMessageContaining("unreadable");
    }

    @Test
    void ignoresOtherEventTypes() throws Exception {
        String body = event("evt_1Created", "payment_intent.created", Stripe.API_VERSION, null,
                paymentIntent("pi_3New", 1235, 0, "requires_payment_method", WORKSPACE_METADATA, "null"));

        assertThat(webhooks.verifyAndParse(body, sign(body, NOW.getEpochSecond(), SECRET))).isEmpty();
    }

    @Test
    void ignoresPaymentIntentsRebillDidNotCreate() throws Exception {
        String body = event("evt_1NotOurs", "payment_intent.succeeded", Stripe.API_VERSION, null,
                paymentIntent("pi_3Invoice", 4200, 4200, "succeeded", "{\"invoice\": \"in_123\"}", "null"));

        assertThat(webhooks.verifyAndParse(body, sign(body, NOW.getEpochSecond(), SECRET))).isEmpty();
    }

    @Test
    void refusesABlankSecret() {
        assertThatThrownBy(() -> new StripeWebhookEvents(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static final String WORKSPACE_METADATA = """
            {"rebill_refill_request_id": "rr-0001", "rebill_wallet_id": "ws_acme", "rebill_workspace_id": "ws_acme"}""";

    private static final String SUB_ACCOUNT_METADATA = """
            {"rebill_refill_request_id": "rr-0002", "rebill_wallet_id": "ws_agency/sub_client7",
             "rebill_workspace_id": "ws_agency", "rebill_sub_account_id": "sub_client7"}""";

    private static String succeededEvent() {
        return event("evt_1Succeeded", "payment_intent.succeeded", Stripe.API_VERSION, null,
                paymentIntent("pi_3Paid", 1235, 1235, "succeeded", WORKSPACE_METADATA, "null"));
    }

    /** The Stripe-Signature header Stripe would send: t=timestamp,v1=HMAC-SHA256(secret, "t.body"). */
    private static String sign(String body, long timestamp, String secret) {
        try {
            return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String event(String id, String type, String apiVersion, String account, String dataObject) {
        return """
                {
                  "id": "%s",
                  "object": "event",
                  %s"api_version": "%s",
                  "created": %d,
                  "data": {
                    "object": %s
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {"id": "req_Webhook", "idempotency_key": "rebill-rr-0001"},
                  "type": "%s"
                }
                """.formatted(id, account == null ? "" : "\"account\": \"" + account + "\",\n  ",
                apiVersion, NOW.getEpochSecond() - 5, dataObject, type);
    }

    private static String paymentIntent(String id, long amount, long amountReceived, String status,
                                        String metadata, String lastPaymentError) {
        return """
                {
                  "id": "%s",
                  "object": "payment_intent",
                  "amount": %d,
                  "amount_received": %d,
                  "capture_method": "automatic_async",
                  "confirmation_method": "automatic",
                  "created": %d,
                  "currency": "usd",
                  "customer": "cus_Platform123",
                  "last_payment_error": %s,
                  "livemode": false,
                  "metadata": %s,
                  "payment_method": "pm_Platform456",
                  "status": "%s"
                }""".formatted(id, amount, amountReceived, NOW.getEpochSecond() - 10, lastPaymentError,
                metadata, status);
    }
}
