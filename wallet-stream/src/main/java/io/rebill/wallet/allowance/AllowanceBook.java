package io.rebill.wallet.allowance;

import io.rebill.schemas.wallet.AllowanceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The minutes-allowance rules of a sub-account, free of Kafka: wallet-stream's processors load a
 * sub-account's {@link Allowance}, ask this class what a subscription, grant or voice charge does to
 * it, and store the answer; only the overage of a charge goes on to the sub-account wallet.
 *
 * <p>Every operation first rolls the allowance over to the caller's clock ({@code now}), so cycles
 * renew as time passes, however many were missed. Invalid input throws
 * {@link IllegalArgumentException}, which the caller turns into a rejection; amounts beyond a long
 * throw {@link ArithmeticException}.
 */
public final class AllowanceBook {

    public static final int SECONDS_PER_MINUTE = 60;
    private static final long MAX_MINUTES = Long.MAX_VALUE / SECONDS_PER_MINUTE;

    private AllowanceBook() {
    }

    /** A new sub-account: its trial is its first cycle, with the trial's minutes, ending after the trial's days. */
    public static Allowance startTrial(TrialTerms terms, Instant now) {
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(now, "now");
        Instant trialEnd = now.plus(Duration.ofDays(terms.days()));
        // A trial of 0 days is already over: no trial minutes to use.
        long included = terms.days() == 0 ? 0L : toSeconds(terms.includedMinutes());
        return new Allowance(null, null, now, now, null, trialEnd, null, included, included, 0L, 0L, 0L, included,
                List.of());
    }

    /**
     * Puts the sub-account on {@code plan}.
     *
     * <ul>
     *   <li>On trial, or without a plan: takes effect now. The cycle runs from now to the next start
     *       of a cycle of {@code cycleAnchor}; the trial's unused minutes are lost, add-on and licensed
     *       minutes stay.
     *   <li>On a plan: no proration, the new plan is pending until the next cycle start and the
     *       current plan's minutes stay for the rest of this cycle. The anchor does not change.
     *       Choosing the current plan again cancels a pending change.
     * </ul>
     *
     * @param cycleAnchor the anchor of the cycles; null keeps the current one (now, from trial)
     * @throws IllegalArgumentException when the plan version is already the one the next cycle will
     *     have, when a known plan version comes with different terms, or when a plan change names
     *     another anchor
     */
    public static Allowance subscribe(Allowance state, Plan plan, Instant cycleAnchor, Instant now) {
        Objects.requireNonNull(plan, "plan");
        Allowance current = rollOver(state, now);
        if (current.currentPlan() == null) {
            Instant anchor = cycleAnchor == null ? now : cycleAnchor;
            Instant next = BillingCycles.start(anchor, BillingCycles.indexContaining(anchor, now) + 1);
            // The cycle starts now, not at the anchor's period start: usage on trial is not this cycle's,
            // and a reversal of a trial charge must not refill the plan's minutes.
            return newCycle(current, plan, anchor, now, next, null, plan.includedSeconds());
        }

        if (cycleAnchor != null && !cycleAnchor.equals(current.cycleAnchor())) {
            throw new IllegalArgumentException("A plan change keeps the cycle anchor " + current.cycleAnchor()
                    + " of plan " + current.currentPlan().label() + ", got " + cycleAnchor);
        }
        requireSameTerms(plan, current.currentPlan());
        requireSameTerms(plan, current.pendingPlan());
        if (plan.isSameVersionAs(current.pendingPlan())) {
            throw new IllegalArgumentException("Plan " + plan.label() + " is already scheduled from "
                    + current.nextCycleStart());
        }
        if (plan.isSameVersionAs(current.currentPlan()) && current.pendingPlan() == null) {
            throw new IllegalArgumentException("The sub-account is already on plan " + plan.label());
        }
        Plan pending = plan.isSameVersionAs(current.currentPlan()) ? null : plan;
        return new Allowance(current.currentPlan(), pending, current.cycleAnchor(), current.cycleStart(),
                current.nextCycleStart(), current.trialEndsAt(), current.licenseExpiresAt(),
                current.includedSeconds(), current.planSeconds(), current.addOnSeconds(), current.licenseSeconds(),
                current.usedSeconds(), current.cycleTotalSeconds(), current.recentGrants());
    }

    /**
     * Adds an add-on bundle or a license. Minutes go to the add-on or licensed-minutes bucket and
     * count in this cycle's total; a days license moves the expiry to max(now, current expiry) plus
     * the days and adds no minutes. The grant is kept in the recent history.
     */
    public static Allowance grant(Allowance state, Grant grant, Instant now) {
        Objects.requireNonNull(grant, "grant");
        Allowance current = rollOver(state, now);
        long seconds = toSeconds(grant.minutes());
        boolean addOn = grant.kind() == AllowanceKind.ADD_ON;

        Instant licenseExpiresAt = current.licenseExpiresAt();
        if (grant.days() > 0) {
            Instant expiry = current.expiresAt();
            Instant from = expiry == null || expiry.isBefore(now) ? now : expiry;
            licenseExpiresAt = from.plus(Duration.ofDays(grant.days()));
        }

        List<RecordedGrant> grants = new ArrayList<>(current.recentGrants());
        grants.add(new RecordedGrant(grant, now));
        if (grants.size() > Allowance.MAX_RECENT_GRANTS) {
            grants = grants.subList(grants.size() - Allowance.MAX_RECENT_GRANTS, grants.size());
        }

        return new Allowance(current.currentPlan(), current.pendingPlan(), current.cycleAnchor(),
                current.cycleStart(), current.nextCycleStart(), current.trialEndsAt(), licenseExpiresAt,
                current.includedSeconds(), current.planSeconds(),
                addOn ? Math.addExact(current.addOnSeconds(), seconds) : current.addOnSeconds(),
                addOn ? current.licenseSeconds() : Math.addExact(current.licenseSeconds(), seconds),
                current.usedSeconds(), Math.addExact(current.cycleTotalSeconds(), seconds), grants);
    }

    /**
     * Brings the allowance to the cycle that contains {@code now}. At a cycle start the plan bucket
     * is set to the included minutes of the (possibly pending) plan, unused included minutes are
     * lost, add-on and licensed minutes carry over and the used counter restarts. Several missed
     * cycles collapse into one step: nothing accrues in a cycle nobody used. The end of the trial is
     * a cycle start too, into a cycle without included minutes and without renewal. A {@code now}
     * before the current cycle start (a late event) changes nothing.
     */
    public static Allowance rollOver(Allowance state, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        if (state.currentPlan() == null) {
            if (state.onTrial() && !now.isBefore(state.trialEndsAt())) {
                return newCycle(state, null, state.cycleAnchor(), state.trialEndsAt(), null, state.trialEndsAt(), 0L);
            }
            return state;
        }
        if (now.isBefore(state.nextCycleStart())) {
            return state;
        }
        Plan plan = state.pendingPlan() != null ? state.pendingPlan() : state.currentPlan();
        long index = BillingCycles.indexContaining(state.cycleAnchor(), now);
        return newCycle(state, plan, state.cycleAnchor(), BillingCycles.start(state.cycleAnchor(), index),
                BillingCycles.start(state.cycleAnchor(), index + 1), null, plan.includedSeconds());
    }

    /**
     * Burns the billed seconds of one voice charge (VOICE or VOICE_AI): plan minutes first, then
     * add-on minutes, then licensed minutes; the rest is overage for the wallet. Rolls over first,
     * so a charge lands in the cycle of {@code now}. Every billed second counts as used.
     *
     * @throws IllegalArgumentException when {@code billedSeconds} is negative
     */
    public static BurnResult burn(Allowance state, long billedSeconds, Instant now) {
        if (billedSeconds < 0) {
            throw new IllegalArgumentException("Billed seconds must not be negative, got " + billedSeconds);
        }
        Allowance current = rollOver(state, now);
        long left = billedSeconds;
        long fromPlan = Math.min(current.planSeconds(), left);
        left -= fromPlan;
        long fromAddOn = Math.min(current.addOnSeconds(), left);
        left -= fromAddOn;
        long fromLicense = Math.min(current.licenseSeconds(), left);
        left -= fromLicense;
        Burn burn = new Burn(fromPlan, fromAddOn, fromLicense, left);

        Allowance after = new Allowance(current.currentPlan(), current.pendingPlan(), current.cycleAnchor(),
                current.cycleStart(), current.nextCycleStart(), current.trialEndsAt(), current.licenseExpiresAt(),
                current.includedSeconds(), current.planSeconds() - fromPlan, current.addOnSeconds() - fromAddOn,
                current.licenseSeconds() - fromLicense, Math.addExact(current.usedSeconds(), billedSeconds),
                current.cycleTotalSeconds(), current.recentGrants());
        return new BurnResult(after, burn, current.cycleStart());
    }

    /**
     * Gives back what a reversed charge burned. Add-on and licensed seconds always go back. Plan
     * seconds go back only while the cycle the burn happened in ({@code burnCycleStart}) is still
     * the current one, and never beyond the cycle's included seconds; in that cycle the used counter
     * drops by the burn's billed seconds (not below 0). In a later cycle the returned add-on and
     * licensed seconds count as allowance added to this cycle's total, and its used counter stays.
     */
    public static Allowance restore(Allowance state, Burn burn, Instant burnCycleStart, Instant now) {
        Objects.requireNonNull(burn, "burn");
        Objects.requireNonNull(burnCycleStart, "burnCycleStart");
        Allowance current = rollOver(state, now);
        long addOn = Math.addExact(current.addOnSeconds(), burn.addOnSeconds());
        long license = Math.addExact(current.licenseSeconds(), burn.licenseSeconds());
        long planSeconds = current.planSeconds();
        long used = current.usedSeconds();
        long total = current.cycleTotalSeconds();
        if (burnCycleStart.equals(current.cycleStart())) {
            planSeconds = Math.min(current.includedSeconds(), Math.addExact(planSeconds, burn.planSeconds()));
            used = Math.max(0L, Math.subtractExact(used, burn.billedSeconds()));
        } else {
            total = Math.addExact(total, Math.addExact(burn.addOnSeconds(), burn.licenseSeconds()));
        }
        return new Allowance(current.currentPlan(), current.pendingPlan(), current.cycleAnchor(),
                current.cycleStart(), current.nextCycleStart(), current.trialEndsAt(), current.licenseExpiresAt(),
                current.includedSeconds(), planSeconds, addOn, license, used, total, current.recentGrants());
    }

    /**
     * The part of a voice charge's re-billed price the sub-account wallet pays when the allowance
     * covered only some of its seconds. Rule:
     * {@code ROUND_HALF_UP(priceMicros * overageSeconds / billedSeconds)}, exact on longs; 0 when
     * there is no overage, the whole price when nothing was covered (also for a charge of 0 seconds).
     *
     * @throws IllegalArgumentException on a negative price or seconds, or overage above billed
     * @throws ArithmeticException when price times overage seconds overflows a long
     */
    public static long overagePriceMicros(long priceMicros, long billedSeconds, long overageSeconds) {
        if (priceMicros < 0) {
            throw new IllegalArgumentException("Price must not be negative, got " + priceMicros);
        }
        if (billedSeconds < 0 || overageSeconds < 0 || overageSeconds > billedSeconds) {
            throw new IllegalArgumentException("Overage seconds must lie within 0.." + billedSeconds + " billed seconds, got "
                    + overageSeconds);
        }
        if (overageSeconds == billedSeconds) {
            return priceMicros;
        }
        if (overageSeconds == 0) {
            return 0L;
        }
        long numerator = Math.multiplyExact(priceMicros, overageSeconds);
        long quotient = numerator / billedSeconds;
        long remainder = numerator % billedSeconds;
        // remainder >= billed / 2, without the overflow of 2 * remainder.
        return remainder >= billedSeconds - remainder ? quotient + 1 : quotient;
    }

    /** The usage view of the sub-account at {@code now} (rolled over first). */
    public static UsageView view(Allowance state, Instant now) {
        return UsageView.of(rollOver(state, now));
    }

    static long toSeconds(long minutes) {
        return Math.multiplyExact(minutes, (long) SECONDS_PER_MINUTE);
    }

    static void requireMinutes(long minutes, String what) {
        if (minutes < 0 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException(what + " must lie within 0.." + MAX_MINUTES + ", got " + minutes);
        }
    }

    private static void requireSameTerms(Plan plan, Plan known) {
        if (plan.isSameVersionAs(known) && !plan.equals(known)) {
            throw new IllegalArgumentException("Plan " + plan.label() + " is in use with other terms;"
                    + " a changed plan needs a new version");
        }
    }

    /** The allowance at the start of a new cycle: fresh included seconds, carried-over add-on and license. */
    private static Allowance newCycle(Allowance state, Plan plan, Instant anchor, Instant start, Instant next,
                                      Instant trialEndsAt, long includedSeconds) {
        long total = Math.addExact(includedSeconds, Math.addExact(state.addOnSeconds(), state.licenseSeconds()));
        return new Allowance(plan, null, anchor, start, next, trialEndsAt, state.licenseExpiresAt(), includedSeconds,
                includedSeconds, state.addOnSeconds(), state.licenseSeconds(), 0L, total, state.recentGrants());
    }
}
