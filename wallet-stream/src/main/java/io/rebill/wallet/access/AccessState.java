package io.rebill.wallet.access;

/**
 * Whether a sub-account may use services (calls, SMS, email), as published on {@code access.status}
 * and answered by the access query. Everything but {@link #ALLOWED} means the platform answers 403.
 */
public enum AccessState {
    ALLOWED,
    /** the re-billed sub-account's own wallet is empty: the client adds funds */
    BLOCKED_SUBACCOUNT_FUNDS,
    /** the agency's wallet is empty: the client contacts its administrator */
    BLOCKED_WORKSPACE_FUNDS,
    /** the re-billed sub-account's wallet is empty after a failed refill payment */
    ON_HOLD
}
