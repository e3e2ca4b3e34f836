package io.rebill.wallet.query;

/**
 * One sub-account; each part is null when there is nothing to show yet.
 *
 * @param rebilled whether its usage is re-billed to it (its own re-billing settings, else its
 *     workspace's defaults); null when neither has settings
 * @param period what its usage came to this month: cost, price and margin
 */
public record SubAccountView(String workspaceId, String subAccountId, WalletView wallet, AccessView access,
                             UsageSummary usage, Boolean rebilled, PeriodTotals period) {

    /** Without re-billing and period totals, as read models that do not know them answer. */
    public SubAccountView(String workspaceId, String subAccountId, WalletView wallet, AccessView access,
                          UsageSummary usage) {
        this(workspaceId, subAccountId, wallet, access, usage, null, null);
    }
}
