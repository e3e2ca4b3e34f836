package io.rebill.wallet.query;

import java.time.Instant;

/**
 * Whether a sub-account may use services.
 *
 * @param state {@code ALLOWED}, {@code BLOCKED_SUBACCOUNT_FUNDS}, {@code BLOCKED_WORKSPACE_FUNDS} or {@code ON_HOLD}
 * @param reason what the user is told
 */
public record AccessView(String workspaceId, String subAccountId, String state, String reason, Instant changedAt) {

    public boolean allowed() {
        return "ALLOWED".equals(state);
    }
}
