package io.rebill.billing.payment;

/**
 * Charges a wallet owner's saved card. The refill policy is written against this interface so it
 * can be tested without a payment provider; {@code io.rebill.billing.stripe.StripePaymentGateway} is
 * the real one.
 */
public interface PaymentGateway {

    /**
     * Charges the card once. Calling again with the same {@link PaymentRequest#idempotencyKey()}
     * never charges again: it answers what the first call did. A payment outcome is never thrown;
     * only a programming error is.
     */
    PaymentResult charge(PaymentRequest request);
}
