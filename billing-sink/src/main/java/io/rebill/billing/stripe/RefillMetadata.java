package io.rebill.billing.stripe;

/**
 * The metadata keys Rebill puts on every PaymentIntent it creates. Webhooks use them to find the
 * refill a payment belongs to, and to ignore PaymentIntents Rebill did not create.
 */
public final class RefillMetadata {

    public static final String REFILL_REQUEST_ID = "rebill_refill_request_id";
    public static final String WALLET_ID = "rebill_wallet_id";
    public static final String WORKSPACE_ID = "rebill_workspace_id";
    /** Only present on a sub-account's wallet. */
    public static final String SUB_ACCOUNT_ID = "rebill_sub_account_id";

    private RefillMetadata() {
    }
}
