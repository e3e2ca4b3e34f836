package io.rebill.wallet.refill;

import java.time.Instant;

/**
 * A request to charge a wallet owner's card, emitted by wallet-stream on {@code billing.refills} for
 * billing-sink. The id is deterministic so a replayed transaction emits the same request and
 * billing-sink can use it as the Stripe idempotency key.
 *
 * @param balanceMicros   the balance that triggered the request, for the owner's receipt and for ops
 * @param thresholdMicros the threshold in force at the time
 */
public record RefillRequest(
        String requestId,
        String walletId,
        long amountMicros,
        long balanceMicros,
        long thresholdMicros,
        boolean offlinePayment,
        Instant requestedAt) {
}
