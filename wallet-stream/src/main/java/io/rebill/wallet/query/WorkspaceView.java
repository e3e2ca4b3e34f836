package io.rebill.wallet.query;

import java.util.List;

/** A workspace: its own wallet (null before its first entry) and each sub-account it has. */
public record WorkspaceView(String workspaceId, WalletView wallet, List<SubAccountSummary> subAccounts) {

    /** @param wallet null when the sub-account has no wallet (not re-billed, or no entries yet) */
    public record SubAccountSummary(String subAccountId, WalletView wallet, String access) {
    }
}
