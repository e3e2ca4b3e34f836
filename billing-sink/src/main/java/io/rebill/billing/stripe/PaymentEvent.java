package io.rebill.billing.stripe;

import java.util.Objects;

/**
 * A verified Stripe webhook about one of Rebill's refill charges: the final word on a charge the
 * gateway could not settle at once (processing, timeouts), and a second confirmation otherwise.
 *
 * @param eventId         Stripe's event id ({@code evt_...}); Stripe may deliver an event more than
 *                        once, so consumers deduplicate on it or on the refill request
 * @param amountMinor     {@code amount_received} for a success, the attempted {@code amount} for a
 *                        failure, in the currency's minor units
 * @param currency        upper-case ISO 4217 code
 * @param failureCode     null unless {@link Type#FAILED}
 * @param declineCode     the issuer's reason, when the card was declined
 * @param message         Stripe's explanation of a failure
 * @param stripeAccountId the connected account the charge was made on; null for the platform
 */
public record PaymentEvent(
        String eventId,
        Type type,
        String paymentIntentId,
        String refillRequestId,
        String walletId,
        String workspaceId,
        String subAccountId,
        long amountMinor,
        String currency,
        String failureCode,
        String declineCode,
        String message,
        String stripeAccountId) {

    public enum Type {
        /** {@code payment_intent.succeeded}: the money was received. */
        SUCCEEDED,
        /** {@code payment_intent.payment_failed}: this attempt to charge failed. */
        FAILED
    }

    public PaymentEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(paymentIntentId, "paymentIntentId");
        Objects.requireNonNull(refillRequestId, "refillRequestId");
        Objects.requireNonNull(currency, "currency");
    }
}
