package io.rebill.billing.payment;

/** What a charge did: paid, declined, or not known yet (retry later with the same key). */
public sealed interface PaymentResult {

    /**
     * The card was charged.
     *
     * @param replayed the provider answered from an earlier request with the same idempotency key
     */
    record Succeeded(String paymentIntentId, long amountMinor, String currency, boolean replayed)
            implements PaymentResult {
    }

    /**
     * No money moved and retrying the same request will not change that: the card was declined
     * ({@code card_declined} with an issuer {@code declineCode} such as {@code insufficient_funds}),
     * needs the holder to authenticate ({@code authentication_required}), expired, or the request was
     * refused (no such customer or card, access to the connected account revoked).
     */
    record Declined(String failureCode, String declineCode, String message, String paymentIntentId)
            implements PaymentResult {

        public static final String AUTHENTICATION_REQUIRED = "authentication_required";

        /** The card holder must complete the payment themselves (3-D Secure). */
        public boolean actionRequired() {
            return AUTHENTICATION_REQUIRED.equals(failureCode);
        }
    }

    /**
     * The provider could not be reached or kept failing (connection errors, timeouts, 429, 5xx, a
     * bad API key) after every retry. The charge may or may not have happened; only a later call with
     * the same idempotency key can tell, so the request must not be reported as failed.
     */
    record Undetermined(String reason) implements PaymentResult {
    }
}
