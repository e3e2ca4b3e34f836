package io.rebill.billing.payment;

import java.util.Objects;

/**
 * One off-session charge of a saved card for a wallet refill.
 *
 * @param refillRequestId the wallet's refill request; named in the payment's metadata
 * @param idempotencyKey  derived from the request id, never random, so every retry and redelivery
 *                        of the request reuses it
 * @param walletId        {@code workspaceId} or {@code workspaceId/subAccountId}
 * @param amountMinor     in the currency's minor units, see {@link MinorUnits}
 * @param stripeAccountId the agency's connected account for a sub-account's card; null for the
 *                        platform account (a workspace's own wallet)
 */
public record PaymentRequest(
        String refillRequestId,
        String idempotencyKey,
        String walletId,
        String workspaceId,
        String subAccountId,
        long amountMinor,
        String currency,
        String stripeAccountId,
        String customerId,
        String paymentMethodId) {

    public PaymentRequest {
        Objects.requireNonNull(refillRequestId, "refillRequestId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(walletId, "walletId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(paymentMethodId, "paymentMethodId");
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amount must be > 0 minor units, was " + amountMinor);
        }
        if (subAccountId != null && stripeAccountId == null) {
            // The agency's card is never charged for a client's wallet.
            throw new IllegalArgumentException("sub-account wallet " + walletId
                    + " must be charged on the agency's connected account, not the platform account");
        }
    }

    /** The idempotency key of a refill request: the same request always gets the same key. */
    public static String idempotencyKeyFor(String refillRequestId) {
        return "rebill-" + refillRequestId;
    }
}
