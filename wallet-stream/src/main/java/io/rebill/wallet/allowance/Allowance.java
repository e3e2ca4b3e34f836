package io.rebill.wallet.allowance;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The minutes allowance of one sub-account, as wallet-stream stores it beside the wallets: which
 * plan it is on, the current cycle, and the buckets its voice minutes burn from, in seconds.
 * {@link AllowanceBook} is the only place that changes it; every change returns a new value.
 *
 * <p>Without a plan the sub-account is on its trial: the trial period is its one cycle, which ends at
 * {@code trialEndsAt}; after that, until it subscribes, it has no included minutes and no renewal.
 *
 * @param currentPlan the plan of the current cycle; null on trial (or after the trial, without a plan)
 * @param pendingPlan the plan the next cycle starts with, when a change is scheduled; null otherwise
 * @param cycleAnchor cycles start at {@code cycleAnchor} + k calendar months, UTC; on trial, the trial start
 * @param cycleStart the start of the current cycle; it identifies the cycle a burn happened in
 * @param nextCycleStart the next renewal; null without a plan
 * @param trialEndsAt the end of the trial; null once subscribed
 * @param licenseExpiresAt the expiry that days licenses extended; null when none was granted
 * @param includedSeconds the included (plan or trial) seconds the current cycle started with
 * @param planSeconds what is left of {@code includedSeconds}; lost at the next cycle start
 * @param addOnSeconds add-on bundles left; they carry over
 * @param licenseSeconds licensed minutes left; they carry over
 * @param usedSeconds billed voice seconds of this cycle, overage included
 * @param cycleTotalSeconds what this cycle had available: the buckets at its start plus what was
 *     granted (or given back by a reversal from an earlier cycle) during it
 * @param recentGrants the last {@value #MAX_RECENT_GRANTS} grants, oldest first
 */
public record Allowance(Plan currentPlan, Plan pendingPlan, Instant cycleAnchor, Instant cycleStart,
                        Instant nextCycleStart, Instant trialEndsAt, Instant licenseExpiresAt,
                        long includedSeconds, long planSeconds, long addOnSeconds, long licenseSeconds,
                        long usedSeconds, long cycleTotalSeconds, List<RecordedGrant> recentGrants) {

    /** How many grants the usage view's history keeps. */
    public static final int MAX_RECENT_GRANTS = 20;

    public Allowance {
        Objects.requireNonNull(cycleAnchor, "cycleAnchor");
        Objects.requireNonNull(cycleStart, "cycleStart");
        if (currentPlan == null) {
            if (pendingPlan != null || nextCycleStart != null) {
                throw new IllegalArgumentException("Without a plan there is no pending plan and no renewal");
            }
        } else {
            if (nextCycleStart == null || !nextCycleStart.isAfter(cycleStart)) {
                throw new IllegalArgumentException("Cycle of plan " + currentPlan.label() + " starting " + cycleStart
                        + " needs a later next cycle start, got " + nextCycleStart);
            }
            if (trialEndsAt != null) {
                throw new IllegalArgumentException("A sub-account on plan " + currentPlan.label() + " is not on trial");
            }
            if (currentPlan.isSameVersionAs(pendingPlan)) {
                throw new IllegalArgumentException("Pending plan " + pendingPlan.label() + " is the current plan");
            }
        }
        requireNotNegative(includedSeconds, "includedSeconds");
        requireNotNegative(planSeconds, "planSeconds");
        requireNotNegative(addOnSeconds, "addOnSeconds");
        requireNotNegative(licenseSeconds, "licenseSeconds");
        requireNotNegative(usedSeconds, "usedSeconds");
        requireNotNegative(cycleTotalSeconds, "cycleTotalSeconds");
        if (planSeconds > includedSeconds) {
            throw new IllegalArgumentException(
                    "Plan bucket " + planSeconds + " s exceeds the cycle's included " + includedSeconds + " s");
        }
        recentGrants = List.copyOf(recentGrants);
        if (recentGrants.size() > MAX_RECENT_GRANTS) {
            throw new IllegalArgumentException(
                    "At most " + MAX_RECENT_GRANTS + " recent grants are kept, got " + recentGrants.size());
        }
    }

    /** True while the trial's cycle runs (as of the last roll-over): the trial minutes are usable. */
    public boolean onTrial() {
        return currentPlan == null && trialEndsAt != null && cycleStart.isBefore(trialEndsAt);
    }

    /**
     * The "Plan Expiry" users see: the license expiry when days were licensed, else the trial end
     * while there is no plan, else null.
     */
    public Instant expiresAt() {
        if (licenseExpiresAt != null) {
            return licenseExpiresAt;
        }
        return currentPlan == null ? trialEndsAt : null;
    }

    /** The seconds the buckets can still cover before usage is charged to the wallet. */
    public long availableSeconds() {
        return Math.addExact(Math.addExact(planSeconds, addOnSeconds), licenseSeconds);
    }

    private static void requireNotNegative(long seconds, String name) {
        if (seconds < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + seconds);
        }
    }
}
