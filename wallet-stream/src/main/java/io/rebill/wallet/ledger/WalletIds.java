package io.rebill.wallet.ledger;

/**
 * Wallet ids as they appear on {@code wallet.ledger} and as the keys of {@code wallet.balances}:
 * the workspace wallet is the workspace id, a sub-account wallet is {@code workspaceId/subAccountId}.
 * The CLI builds ids with these methods, so the format is part of the public contract.
 */
public final class WalletIds {

    static final String SEPARATOR = "/";

    private WalletIds() {
    }

    /** The id of a workspace's own (agency) wallet. */
    public static String workspace(String workspaceId) {
        return workspaceId;
    }

    /** The id of a sub-account's (client's) wallet inside a workspace. */
    public static String subAccount(String workspaceId, String subAccountId) {
        return workspaceId + SEPARATOR + subAccountId;
    }
}
