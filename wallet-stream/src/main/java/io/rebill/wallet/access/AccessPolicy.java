package io.rebill.wallet.access;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The two-balance access check: may a sub-account use services right now? wallet-stream decides it
 * per workspace, in the processor that applies charges, after every balance change of either wallet,
 * and publishes changes on {@code access.status}. Both wallets live in the workspace's partition, so
 * the check reads two local balances inside one exactly-once transaction.
 *
 * <p>A wallet is empty when its balance is zero or below; a wallet not created yet counts as empty.
 * A re-billed sub-account is checked on its own wallet first, because the client can fix that
 * itself ("add funds"); only then on the agency's wallet, which the client cannot fix ("contact your
 * administrator"). A sub-account that is not re-billed is checked on the agency's wallet only.
 */
public final class AccessPolicy {

    /** Shown when access is allowed. */
    public static final String REASON_ALLOWED = "Allowed";
    /** Shown to a re-billed client whose own wallet is empty. */
    public static final String REASON_ADD_FUNDS = "Add funds: the balance is empty";
    /** Shown to a re-billed client whose wallet is empty after its last refill payment failed. */
    public static final String REASON_ON_HOLD =
            "On hold: the last refill payment failed and the balance is empty; update the payment method or add funds";
    /** Shown to a client when the agency's wallet is empty. */
    public static final String REASON_CONTACT_ADMINISTRATOR =
            "Contact your administrator: the agency's balance is empty";

    private static final AccessDecision ALLOWED = new AccessDecision(AccessState.ALLOWED, REASON_ALLOWED);
    private static final AccessDecision ADD_FUNDS =
            new AccessDecision(AccessState.BLOCKED_SUBACCOUNT_FUNDS, REASON_ADD_FUNDS);
    private static final AccessDecision ON_HOLD = new AccessDecision(AccessState.ON_HOLD, REASON_ON_HOLD);
    private static final AccessDecision CONTACT_ADMINISTRATOR =
            new AccessDecision(AccessState.BLOCKED_WORKSPACE_FUNDS, REASON_CONTACT_ADMINISTRATOR);

    private AccessPolicy() {
    }

    /**
     * @param rebilled                 re-billing is on for the sub-account
     * @param subAccountBalance        the sub-account wallet's balance in micros, empty if it has no wallet
     *                                 yet; ignored when not re-billed
     * @param subAccountRefillFailed   the sub-account wallet's last refill payment failed and no money
     *                                 arrived since; ignored when not re-billed
     * @param workspaceBalance         the agency wallet's balance in micros, empty if it has no wallet yet
     */
    public static AccessDecision decide(boolean rebilled, OptionalLong subAccountBalance,
            boolean subAccountRefillFailed, OptionalLong workspaceBalance) {
        Objects.requireNonNull(subAccountBalance, "subAccountBalance");
        Objects.requireNonNull(workspaceBalance, "workspaceBalance");
        if (rebilled && isEmpty(subAccountBalance)) {
            return subAccountRefillFailed ? ON_HOLD : ADD_FUNDS;
        }
        if (isEmpty(workspaceBalance)) {
            return CONTACT_ADMINISTRATOR;
        }
        return ALLOWED;
    }

    /**
     * Whether a change of the agency wallet's balance can change the access of sub-accounts other
     * than the one the record concerns: only when it crosses empty, since their own balances and
     * refills did not move.
     */
    public static boolean workspaceCrossedEmpty(OptionalLong workspaceBalanceBefore, OptionalLong workspaceBalanceAfter) {
        return isEmpty(workspaceBalanceBefore) != isEmpty(workspaceBalanceAfter);
    }

    private static boolean isEmpty(OptionalLong balanceMicros) {
        return balanceMicros.orElse(0L) <= 0;
    }
}
