package io.rebill.wallet.ledger;

import java.time.Instant;

/**
 * The state of one prepaid wallet. The balance may be negative: usage is charged after it happened,
 * and stopping usage on an empty wallet is the access check's job, not the ledger's.
 *
 * @param lastEntryId the id of the last ledger entry applied, null for a wallet without entries
 */
public record Wallet(String currency, long balanceMicros, long entryCount, String lastEntryId, Instant updatedAt) {

    /**
     * What {@code wallet.balances} shows about a wallet: ACTIVE above zero, EMPTY at or below.
     * Whether its owner may use services (blocked, on hold) is published on {@code wallet.access}.
     */
    public enum Status {
        ACTIVE,
        EMPTY
    }

    /** A wallet that has never seen an entry. */
    public static Wallet open(String currency, Instant at) {
        return new Wallet(currency, 0L, 0L, null, at);
    }

    /**
     * This wallet after one signed ledger entry.
     *
     * @throws ArithmeticException if the balance would overflow a long
     */
    public Wallet post(long amountMicros, String entryId, Instant at) {
        return new Wallet(currency, Math.addExact(balanceMicros, amountMicros), Math.addExact(entryCount, 1L),
                entryId, at);
    }

    public Status status() {
        return balanceMicros > 0 ? Status.ACTIVE : Status.EMPTY;
    }
}
