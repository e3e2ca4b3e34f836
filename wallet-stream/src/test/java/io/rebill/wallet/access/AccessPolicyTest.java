package io.rebill.wallet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessPolicyTest {

    /** A balance cell: blank for a wallet that does not exist yet, else micros. */
    private static OptionalLong balance(String cell) {
        return cell == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(cell));
    }

    @ParameterizedTest(name = "rebilled, sub-account {0} (refill failed: {1}), workspace {2} -> {3}")
    @CsvSource(nullValues = "none", value = {
            // sub-account empty (missing, zero, negative): own wallet decides, whatever the workspace has
            "none, false, 5,    BLOCKED_SUBACCOUNT_FUNDS",
            "none, false, none, BLOCKED_SUBACCOUNT_FUNDS",
            "none, true,  5,    ON_HOLD",
            "none, true,  0,    ON_HOLD",
            "0,    false, 5,    BLOCKED_SUBACCOUNT_FUNDS",
            "0,    false, 0,    BLOCKED_SUBACCOUNT_FUNDS",
            "0,    true,  5,    ON_HOLD",
            "0,    true,  -1,   ON_HOLD",
            "-1,   false, 5,    BLOCKED_SUBACCOUNT_FUNDS",
            "-1,   false, -1,   BLOCKED_SUBACCOUNT_FUNDS",
            "-1,   true,  5,    ON_HOLD",
            "-1,   true,  none, ON_HOLD",
            // sub-account has funds: the workspace decides, a past refill failure no longer matters
            "1,    false, 1,    ALLOWED",
            "1,    true,  1,    ALLOWED",
            "1,    false, 0,    BLOCKED_WORKSPACE_FUNDS",
            "1,    true,  0,    BLOCKED_WORKSPACE_FUNDS",
            "1,    false, -1,   BLOCKED_WORKSPACE_FUNDS",
            "1,    true,  -1,   BLOCKED_WORKSPACE_FUNDS",
            "1,    false, none, BLOCKED_WORKSPACE_FUNDS",
            "1,    true,  none, BLOCKED_WORKSPACE_FUNDS"
    })
    void shouldCheckSubAccountWalletThenWorkspaceWalletWhenRebilled(String subAccount, boolean refillFailed,
            String workspace, AccessState expected) {
        AccessDecision decision = AccessPolicy.decide(true, balance(subAccount), refillFailed, balance(workspace));

        assertThat(decision.state()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "not rebilled, sub-account {0} (refill failed: {1}), workspace {2} -> {3}")
    @CsvSource(nullValues = "none", value = {
            "none, false, 1,    ALLOWED",
            "0,    true,  1,    ALLOWED",
            "-1,   true,  1,    ALLOWED",
            "1,    false, 1,    ALLOWED",
            "1,    false, 0,    BLOCKED_WORKSPACE_FUNDS",
            "none, true,  0,    BLOCKED_WORKSPACE_FUNDS",
            "-1,   true,  -1,   BLOCKED_WORKSPACE_FUNDS",
            "1,    false, none, BLOCKED_WORKSPACE_FUNDS"
    })
    void shouldCheckOnlyWorkspaceWalletWhenNotRebilled(String subAccount, boolean refillFailed, String workspace,
            AccessState expected) {
        AccessDecision decision = AccessPolicy.decide(false, balance(subAccount), refillFailed, balance(workspace));

        assertThat(decision.state()).isEqualTo(expected);
    }

    @Test
    void shouldShowDocumentedReasonWhenDecided() {
        OptionalLong funded = OptionalLong.of(1);
        OptionalLong empty = OptionalLong.of(0);

        assertThat(AccessPolicy.decide(true, funded, false, funded))
                .isEqualTo(new AccessDecision(AccessState.ALLOWED, "Allowed"));
        assertThat(AccessPolicy.decide(true, empty, false, funded))
                .isEqualTo(new AccessDecision(AccessState.BLOCKED_SUBACCOUNT_FUNDS, "Add funds: the balance is empty"));
        assertThat(AccessPolicy.decide(true, empty, true, funded)).isEqualTo(new AccessDecision(AccessState.ON_HOLD,
                "On hold: the last refill payment failed and the balance is empty; "
                        + "update the payment method or add funds"));
        assertThat(AccessPolicy.decide(false, empty, false, empty))
                .isEqualTo(new AccessDecision(AccessState.BLOCKED_WORKSPACE_FUNDS,
                        "Contact your administrator: the agency's balance is empty"));
    }

    @Test
    void shouldBeAllowedOnlyWhenStateIsAllowed() {
        assertThat(AccessPolicy.decide(false, OptionalLong.empty(), false, OptionalLong.of(1)).allowed()).isTrue();
        assertThat(AccessPolicy.decide(false, OptionalLong.empty(), false, OptionalLong.of(0)).allowed()).isFalse();
        assertThat(AccessPolicy.decide(true, OptionalLong.of(0), true, OptionalLong.of(1)).allowed()).isFalse();
    }
}
