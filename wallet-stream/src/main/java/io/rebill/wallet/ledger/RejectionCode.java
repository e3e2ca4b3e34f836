package io.rebill.wallet.ledger;

/** Why the ledger refused a charge or command; the name is the stable {@code reasonCode} on {@code wallet.rejected}. */
public enum RejectionCode {
    /** Negative cost or price, or a re-billed charge without a sub-account. */
    INVALID_CHARGE,
    /** A top-up or manual credit that is not positive, or an adjustment of zero. */
    INVALID_AMOUNT,
    /** A command without a usable target wallet. */
    INVALID_COMMAND,
    /** A currency that is not three upper-case letters (ISO 4217). */
    INVALID_CURRENCY,
    /** The currency differs from the existing wallet's; wallets never convert. */
    CURRENCY_MISMATCH,
    /** The charge or command names a workspace other than the one whose wallets it was routed to. */
    WORKSPACE_MISMATCH,
    /** The balance or entry count would overflow a long. */
    BALANCE_OVERFLOW,
    /** A command payload wallet-stream does not know. */
    UNSUPPORTED_COMMAND
}
