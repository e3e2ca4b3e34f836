package io.rebill.wallet.ledger;

/**
 * One side of the double wallet: the workspace wallet when {@code subAccountId} is null, otherwise
 * that sub-account's wallet.
 */
public record WalletRef(String workspaceId, String subAccountId) {

    public static WalletRef workspace(String workspaceId) {
        return new WalletRef(workspaceId, null);
    }

    public static WalletRef subAccount(String workspaceId, String subAccountId) {
        return new WalletRef(workspaceId, subAccountId);
    }

    /** The wallet of {@code workspaceId} with the id {@code walletId} (see {@link WalletIds}). */
    public static WalletRef of(String workspaceId, String walletId) {
        if (walletId.equals(WalletIds.workspace(workspaceId))) {
            return workspace(workspaceId);
        }
        String prefix = WalletIds.subAccount(workspaceId, "");
        if (!walletId.startsWith(prefix) || walletId.length() == prefix.length()) {
            throw new IllegalArgumentException("Wallet " + walletId + " is not in workspace " + workspaceId);
        }
        return subAccount(workspaceId, walletId.substring(prefix.length()));
    }

    public boolean isWorkspace() {
        return subAccountId == null;
    }

    /** The id used on the wallet topics, see {@link WalletIds}. */
    public String walletId() {
        return isWorkspace() ? WalletIds.workspace(workspaceId) : WalletIds.subAccount(workspaceId, subAccountId);
    }

    /** The {@code /workspace} or {@code /sub-account} suffix of a charge's ledger entry id. */
    String entrySuffix() {
        return isWorkspace() ? "workspace" : "sub-account";
    }
}
