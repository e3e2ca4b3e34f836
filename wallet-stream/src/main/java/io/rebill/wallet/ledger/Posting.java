package io.rebill.wallet.ledger;

import java.time.Instant;

/**
 * One balance change of one wallet, the ledger's output. For every wallet, the sum of its postings
 * equals its balance.
 *
 * @param entryId deterministic: {@code chargeId/workspace}, {@code chargeId/sub-account} or the command id
 * @param amountMicros signed: credits positive, debits negative
 * @param reference the charge id or command id behind the posting
 * @param occurredAt when the usage happened or the command was issued
 */
public record Posting(String entryId, WalletRef wallet, Kind kind, long amountMicros, long balanceAfterMicros,
                      String currency, String reference, String description, Instant occurredAt) {

    /** Why the balance changed. */
    public enum Kind {
        USAGE,
        REVERSAL,
        TOP_UP,
        MANUAL_CREDIT,
        ADJUSTMENT,
        NUMBER_FEE
    }
}
