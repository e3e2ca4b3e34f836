package io.rebill.wallet.query;

/** One sub-account; each part is null when there is nothing to show yet. */
public record SubAccountView(String workspaceId, String subAccountId, WalletView wallet, AccessView access,
                             UsageSummary usage) {
}
