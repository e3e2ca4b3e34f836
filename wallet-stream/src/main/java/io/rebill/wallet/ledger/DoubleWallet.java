package io.rebill.wallet.ledger;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The wallets of one workspace a record works on: the agency's own wallet and those of the
 * sub-accounts loaded. wallet-stream stores each wallet on its own and loads, for a charge, only
 * the agency's and the charged sub-account's (see {@code WorkspaceState#allSubAccounts}).
 *
 * @param workspace the workspace wallet, null until its first entry
 * @param subAccounts sub-account wallets by sub-account id, as far as loaded
 */
public record DoubleWallet(String workspaceId, Wallet workspace, Map<String, Wallet> subAccounts) {

    public DoubleWallet {
        Objects.requireNonNull(workspaceId, "workspaceId");
        // Sorted so that iteration, and therefore the stored encoding, does not depend on insertion order.
        subAccounts = Collections.unmodifiableMap(new TreeMap<>(subAccounts));
    }

    /** A workspace with no wallets yet. */
    public static DoubleWallet empty(String workspaceId) {
        return new DoubleWallet(workspaceId, null, Map.of());
    }

    public Optional<Wallet> wallet(WalletRef ref) {
        return Optional.ofNullable(ref.isWorkspace() ? workspace : subAccounts.get(ref.subAccountId()));
    }

    /** A copy with one wallet replaced or added. */
    public DoubleWallet with(WalletRef ref, Wallet wallet) {
        if (!workspaceId.equals(ref.workspaceId())) {
            throw new IllegalArgumentException("Wallet " + ref.walletId() + " is not in workspace " + workspaceId);
        }
        if (ref.isWorkspace()) {
            return new DoubleWallet(workspaceId, wallet, subAccounts);
        }
        Map<String, Wallet> updated = new TreeMap<>(subAccounts);
        updated.put(ref.subAccountId(), wallet);
        return new DoubleWallet(workspaceId, workspace, updated);
    }
}
