package io.rebill.wallet.numbers;

import java.util.Objects;

/**
 * What a renewal check did to a number, and what the caller does next: CHARGE the monthly cost to
 * the payer, request a refill on HOLD, tell the platform to give the number back on RELEASE.
 */
public record RenewalStep(Action action, PhoneNumber after) {

    public RenewalStep {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(after, "after");
    }

    public enum Action {
        /** nothing due, or still within the grace period */
        NONE,
        /** one month renewed; charge {@code monthlyCostMicros} and check again (more months may be due) */
        CHARGE,
        /** the renewal could not be paid; the number is On Hold and a refill should be requested */
        HOLD,
        /** the grace period ended unpaid; the number is released */
        RELEASE
    }
}
