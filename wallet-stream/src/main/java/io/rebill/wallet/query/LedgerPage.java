package io.rebill.wallet.query;

import java.time.Instant;
import java.util.List;

/**
 * A page of a wallet's ledger, newest first.
 *
 * @param nextBefore pass as {@code before} for the next (older) page; null on the last page
 */
public record LedgerPage(String walletId, List<Line> entries, Long nextBefore) {

    /** One ledger entry; {@code sequence} counts the wallet's entries from 1. */
    public record Line(long sequence, String entryId, String kind, long amountMicros, String amount,
                       long balanceAfterMicros, String balanceAfter, String currency, String reference,
                       String description, Instant occurredAt, Instant recordedAt) {
    }
}
