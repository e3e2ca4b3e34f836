package io.rebill.wallet.query;

import java.time.Instant;
import java.util.List;

/**
 * A sub-account's minutes, as the plan and billing page shows them: minutes are decimal text with
 * two places, {@code percentUsed} too (e.g. {@code "26.06"}).
 *
 * @param plan the plan's name, or {@code "trial"}
 * @param nextRenewal the next cycle start; null on a trial
 * @param expiresAt the trial's end or a days license's end; null when neither applies
 * @param pendingPlan the plan that takes over at the next cycle, if a change is scheduled
 */
public record UsageSummary(String plan, String planId, Integer planVersion, boolean trial, String includedMinutes,
                           String addOnMinutes, String licensedMinutes, String totalMinutes, String usedMinutes,
                           String remainingMinutes, String percentUsed, Instant cycleStart, Instant nextRenewal,
                           Instant expiresAt, String pendingPlan, List<Grant> recentGrants) {

    /** An add-on bundle or a manual license, with its remarks. */
    public record Grant(String kind, String name, long minutes, int days, String remarks, Instant grantedAt) {
    }
}
