package io.rebill.wallet.query;

import java.util.Optional;

/**
 * What one wallet-stream instance can answer from its own state stores. The HTTP layer routes a
 * workspace's questions to the instance that owns that workspace's partition and asks it here;
 * access statuses live in a global store, so every instance answers those.
 */
public interface WalletReadModel {

    /** The workspace wallet and a summary of every sub-account the workspace has. */
    Optional<WorkspaceView> workspace(String workspaceId);

    /** One sub-account: its wallet, access status and minutes usage. */
    Optional<SubAccountView> subAccount(String workspaceId, String subAccountId);

    /**
     * A page of one wallet's ledger, newest first.
     *
     * @param walletId {@code workspaceId} or {@code workspaceId/subAccountId}
     * @param beforeSequence only entries with a lower sequence; null for the newest
     */
    Optional<LedgerPage> ledger(String walletId, int limit, Long beforeSequence);

    /** The sub-account's minutes: plan, add-ons, licenses, used and remaining. */
    Optional<UsageSummary> usage(String workspaceId, String subAccountId);

    /** The access status last published for a sub-account. */
    Optional<AccessView> access(String subAccountId);
}
