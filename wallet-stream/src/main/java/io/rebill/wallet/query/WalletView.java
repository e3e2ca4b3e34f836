package io.rebill.wallet.query;

import java.time.Instant;

/**
 * One wallet as the API shows it.
 *
 * @param type {@code WORKSPACE} or {@code SUB_ACCOUNT}
 * @param balance the balance as exact decimal text, e.g. {@code "12.345678"}
 * @param status {@code ACTIVE} above zero, {@code EMPTY} at or below
 */
public record WalletView(String walletId, String workspaceId, String subAccountId, String type, String currency,
                         long balanceMicros, String balance, String status, long entryCount, Instant updatedAt) {
}
