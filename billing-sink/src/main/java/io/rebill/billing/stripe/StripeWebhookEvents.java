package io.rebill.billing.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.model.StripeObject;
import com.stripe.net.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a Stripe webhook request into a {@link PaymentEvent}, after checking that Stripe sent it.
 *
 * <p>The signature is verified by stripe-java over the raw request body exactly as received: a body
 * that was parsed and re-serialised would not match. Verification also rejects signatures older
 * than the tolerance, so a captured request cannot be replayed later.
 */
public final class StripeWebhookEvents {

    public static final String PAYMENT_SUCCEEDED = "payment_intent.succeeded";
    public static final String PAYMENT_FAILED = "payment_intent.payment_failed";
    /** Stripe's own default: five minutes. */
    public static final long DEFAULT_TOLERANCE_SECONDS = Webhook.DEFAULT_TOLERANCE;

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookEvents.class);

    private final String webhookSecret;
    private final long toleranceSeconds;
    private final Clock clock;

    public StripeWebhookEvents(String webhookSecret) {
        this(webhookSecret, DEFAULT_TOLERANCE_SECONDS, Clock.systemUTC());
    }

    /**
     * @param webhookSecret    the endpoint's signing secret ({@code whsec_...})
     * @param toleranceSeconds how old a signature may be
     * @param clock            the time the signature's age is measured against
     */
    public StripeWebhookEvents(String webhookSecret, long toleranceSeconds, Clock clock) {
        if (webhookSecret == null || webhookSecret.isBlank()) {
            throw new IllegalArgumentException("webhook signing secret must not be blank");
        }
        if (toleranceSeconds <= 0) {
            throw new IllegalArgumentException("toleranceSeconds must be > 0, was " + toleranceSeconds);
        }
        this.webhookSecret = webhookSecret;
        this.toleranceSeconds = toleranceSeconds;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param rawBody         the request body, byte for byte as received (decoded as UTF-8)
     * @param signatureHeader the {@code Stripe-Signature} request header
     * @return the payment event; empty for event types other than {@value #PAYMENT_SUCCEEDED} and
     *         {@value #PAYMENT_FAILED}, and for PaymentIntents Rebill did not create
     * @throws InvalidWebhookException when the signature is missing, wrong or stale, the body is
     *                                 not a Stripe event, or a refill's amount is negative
     */
    public Optional<PaymentEvent> verifyAndParse(String rawBody, String signatureHeader)
            throws InvalidWebhookException {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new InvalidWebhookException("missing Stripe-Signature header");
        }
        if (rawBody == null || rawBody.isEmpty()) {
            throw new InvalidWebhookException("empty webhook body");
        }
        Event event = verifiedEvent(rawBody, signatureHeader);
        String type = event.getType();
        boolean succeeded = PAYMENT_SUCCEEDED.equals(type);
        if (!succeeded && !PAYMENT_FAILED.equals(type)) {
            log.debug("Ignoring Stripe event {} of type {}", event.getId(), type);
            return Optional.empty();
        }
        PaymentIntent intent = paymentIntentOf(event);
        Map<String, String> metadata = intent.getMetadata() == null ? Map.of() : intent.getMetadata();
        String refillRequestId = metadata.get(RefillMetadata.REFILL_REQUEST_ID);
        if (refillRequestId == null) {
            log.debug("Ignoring Stripe event {}: payment intent {} is not a Rebill refill",
                    event.getId(), intent.getId());
            return Optional.empty();
        }
        if (event.getId() == null || intent.getId() == null || intent.getCurrency() == null) {
            throw new InvalidWebhookException("Stripe event " + event.getId()
                    + " lacks an event id, payment intent id or currency");
        }
        StripeError error = succeeded ? null : intent.getLastPaymentError();
        Long amount = succeeded && intent.getAmountReceived() != null
                ? intent.getAmountReceived() : intent.getAmount();
        if (amount == null) {
            throw new InvalidWebhookException("Stripe event " + event.getId() + ": payment intent "
                    + intent.getId() + " has no amount");
        }
        if (amount < 0) {
            // Stripe never reports a negative amount; crediting one would debit the wallet.
            throw new InvalidWebhookException("Stripe event " + event.getId() + ": payment intent "
                    + intent.getId() + " has a negative amount " + amount);
        }
        return Optional.of(new PaymentEvent(
                event.getId(),
                succeeded ? PaymentEvent.Type.SUCCEEDED : PaymentEvent.Type.FAILED,
                intent.getId(),
                refillRequestId,
                metadata.get(RefillMetadata.WALLET_ID),
                metadata.get(RefillMetadata.WORKSPACE_ID),
                metadata.get(RefillMetadata.SUB_ACCOUNT_ID),
                amount,
                intent.getCurrency().toUpperCase(Locale.ROOT),
                succeeded ? null : (error == null || error.getCode() == null ? "payment_failed" : error.getCode()),
                error == null ? null : error.getDeclineCode(),
                error == null ? null : error.getMessage(),
                event.getAccount()));
    }

    private Event verifiedEvent(String rawBody, String signatureHeader) throws InvalidWebhookException {
        try {
            return Webhook.constructEvent(rawBody, signatureHeader, webhookSecret, toleranceSeconds, clock);
        } catch (SignatureVerificationException e) {
            throw new InvalidWebhookException("Stripe webhook signature rejected: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson's JsonSyntaxException for a body that is not JSON, NumberFormatException for a
            // header whose timestamp is not a number.
            throw new InvalidWebhookException("unreadable Stripe webhook: " + e.getMessage(), e);
        }
    }

    /**
     * The event's PaymentIntent. When the endpoint's API version differs from stripe-java's, the
     * safe deserializer gives up; the PaymentIntent fields read here have been stable across
     * versions, so the unsafe one is used then.
     */
    private static PaymentIntent paymentIntentOf(Event event) throws InvalidWebhookException {
        StripeObject object;
        try {
            Optional<StripeObject> matchingVersion = event.getDataObjectDeserializer().getObject();
            if (matchingVersion.isPresent()) {
                object = matchingVersion.get();
            } else {
                log.debug("Stripe event {} has API version {}; deserializing its payment intent anyway",
                        event.getId(), event.getApiVersion());
                object = event.getDataObjectDeserializer().deserializeUnsafe();
            }
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            throw new InvalidWebhookException("Stripe event " + event.getId()
                    + " has an unreadable data object: " + e.getMessage(), e);
        }
        if (!(object instanceof PaymentIntent)) {
            throw new InvalidWebhookException("Stripe event " + event.getId() + " of type "
                    + event.getType() + " does not carry a payment intent");
        }
        return (PaymentIntent) object;
    }
}
