package io.rebill.wallet.allowance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * What a sub-account's Plan &amp; Billing page shows about its minutes, answered by wallet-stream's
 * interactive queries. Minutes are decimal strings with two places, computed from seconds.
 *
 * @param planId null without a plan
 * @param planVersion null without a plan
 * @param planName {@value #TRIAL} without a plan
 * @param includedMinutes the included minutes this cycle started with
 * @param includedRemainingMinutes what is left of them
 * @param totalMinutes what the cycle had available: included, add-on and licensed balances at its
 *     start, plus grants during it
 * @param remainingMinutes total minus used, never below zero
 * @param percentUsed used / total in percent, e.g. "26.06"; "0.00" when total is 0; above "100.00"
 *     when usage ran into the wallet
 * @param nextRenewal the next cycle start; null on trial
 * @param expiresAt the trial end or the license expiry, whichever applies; null when neither does
 * @param pendingPlan the plan of the next cycle when a change is scheduled, else null
 * @param recentGrants the last grants, oldest first
 */
public record UsageView(String planId, Integer planVersion, String planName, String includedMinutes,
                        String includedRemainingMinutes, String addOnMinutes, String licensedMinutes,
                        String totalMinutes, String usedMinutes, String remainingMinutes, String percentUsed,
                        Instant cycleStart, Instant nextRenewal, Instant expiresAt, Plan pendingPlan,
                        List<RecordedGrant> recentGrants) {

    /** The plan name shown without a plan. */
    public static final String TRIAL = "trial";

    public UsageView {
        recentGrants = List.copyOf(recentGrants);
    }

    static UsageView of(Allowance state) {
        Plan plan = state.currentPlan();
        long remaining = Math.max(0L, Math.subtractExact(state.cycleTotalSeconds(), state.usedSeconds()));
        return new UsageView(
                plan == null ? null : plan.planId(),
                plan == null ? null : plan.version(),
                plan == null ? TRIAL : plan.name(),
                minutes(state.includedSeconds()),
                minutes(state.planSeconds()),
                minutes(state.addOnSeconds()),
                minutes(state.licenseSeconds()),
                minutes(state.cycleTotalSeconds()),
                minutes(state.usedSeconds()),
                minutes(remaining),
                percent(state.usedSeconds(), state.cycleTotalSeconds()),
                state.cycleStart(),
                state.nextCycleStart(),
                state.expiresAt(),
                state.pendingPlan(),
                state.recentGrants());
    }

    /** Seconds as minutes with two places, half-up: 90 s is "1.50", 100 s is "1.67". */
    public static String minutes(long seconds) {
        return twoPlaces(seconds, AllowanceBook.SECONDS_PER_MINUTE);
    }

    /** {@code part} as a percentage of {@code whole} with two places, half-up; "0.00" when whole is 0. */
    public static String percent(long part, long whole) {
        return whole == 0 ? twoPlaces(0, 1) : twoPlaces(Math.multiplyExact(part, 100L), whole);
    }

    /** The one place a count becomes a display decimal: numerator / denominator, two places, half-up. */
    static String twoPlaces(long numerator, long denominator) {
        return BigDecimal.valueOf(numerator)
                .divide(BigDecimal.valueOf(denominator), 2, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
