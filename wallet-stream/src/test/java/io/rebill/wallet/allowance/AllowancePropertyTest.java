package io.rebill.wallet.allowance;

import static io.rebill.wallet.allowance.AllowanceFixtures.BASIC;
import static io.rebill.wallet.allowance.AllowanceFixtures.PRO;
import static io.rebill.wallet.allowance.AllowanceFixtures.PRO_V2;
import static io.rebill.wallet.allowance.AllowanceFixtures.START;
import static io.rebill.wallet.allowance.AllowanceFixtures.TRIAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * The allowance's invariants over random histories of grants, burns, reversals, plan changes and
 * clock advances, and the overage rounding rule against exact decimals.
 */
class AllowancePropertyTest {

    private static final Plan FREE = new Plan("free", 1, "Free", 0, 0, "USD");
    private static final List<Plan> PLANS = List.of(FREE, BASIC, PRO, PRO_V2);
    private static final long MAX_PRICE = 1_000_000_000_000L;

    // --- random histories ---

    /** One thing that happens to a sub-account; the clock moves at least one second before each. */
    sealed interface Step permits Advance, GrantStep, BurnStep, RestoreStep, SubscribeStep {
    }

    record Advance(long seconds) implements Step {
    }

    record GrantStep(Grant grant) implements Step {
    }

    record BurnStep(long billedSeconds) implements Step {
    }

    /** Reverses one of the burns not reversed yet, picked by index modulo their count. */
    record RestoreStep(int pick) implements Step {
    }

    /** Subscribes or changes plan; {@code anchorOffsetSeconds} places the anchor around now when from trial. */
    record SubscribeStep(int planIndex, long anchorOffsetSeconds, boolean withAnchor) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> advance = Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.longs().between(1, Duration.ofDays(3).toSeconds())),
                        Tuple.of(1, Arbitraries.longs().between(1, Duration.ofDays(400).toSeconds())))
                .map(Advance::new);
        Arbitrary<Step> grant = Arbitraries.oneOf(
                        Arbitraries.of(100L, 150L, 300L).map(m -> Grant.addOn("bundle-" + m, m, null)),
                        Arbitraries.longs().between(1, 500).map(m -> Grant.licenseMinutes("minutes", m, "remark")),
                        Arbitraries.integers().between(1, 60).map(d -> Grant.licenseDays("days", d, null)))
                .map(GrantStep::new);
        Arbitrary<Step> burn = Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just(0L)),
                        Tuple.of(8, Arbitraries.longs().between(1, 3_600)),
                        Tuple.of(2, Arbitraries.longs().between(3_600, 40_000)))
                .map(BurnStep::new);
        Arbitrary<Step> restore = Arbitraries.integers().between(0, 1_000).map(RestoreStep::new);
        Arbitrary<Step> subscribe = Combinators.combine(
                        Arbitraries.integers().between(0, PLANS.size() - 1),
                        Arbitraries.longs().between(-Duration.ofDays(90).toSeconds(), Duration.ofDays(90).toSeconds()),
                        Arbitraries.of(true, false))
                .as(SubscribeStep::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(3, advance),
                        Tuple.of(2, grant),
                        Tuple.of(6, burn),
                        Tuple.of(2, restore),
                        Tuple.of(1, subscribe))
                .list().ofMaxSize(80);
    }

    /** Plays a history against the book and checks what must hold after every step. */
    private static final class Run {
        Allowance state = AllowanceBook.startTrial(TRIAL, START);
        Instant now = START;
        final List<BurnResult> notRestored = new ArrayList<>();
        Instant cycleStart = state.cycleStart();
        boolean overageInCycle;

        void play(List<Step> steps) {
            for (Step step : steps) {
                apply(step);
                checkInvariants();
            }
        }

        void apply(Step step) {
            now = now.plusSeconds(1);
            if (step instanceof Advance advance) {
                now = now.plusSeconds(advance.seconds());
                state = AllowanceBook.rollOver(state, now);
            } else if (step instanceof GrantStep grant) {
                state = AllowanceBook.grant(state, grant.grant(), now);
            } else if (step instanceof BurnStep burnStep) {
                Allowance before = AllowanceBook.rollOver(state, now);
                BurnResult result = AllowanceBook.burn(state, burnStep.billedSeconds(), now);
                checkBurn(before, result, burnStep.billedSeconds());
                state = result.allowance();
                notRestored.add(result);
                if (result.burn().overageSeconds() > 0) {
                    rollCycle();
                    overageInCycle = true;
                }
            } else if (step instanceof RestoreStep restore && !notRestored.isEmpty()) {
                BurnResult burned = notRestored.remove(restore.pick() % notRestored.size());
                state = AllowanceBook.restore(state, burned.burn(), burned.cycleStart(), now);
            } else if (step instanceof SubscribeStep subscribe) {
                Plan plan = PLANS.get(subscribe.planIndex());
                Instant anchor = subscribe.withAnchor() && state.currentPlan() == null
                        ? now.plusSeconds(subscribe.anchorOffsetSeconds()) : null;
                try {
                    state = AllowanceBook.subscribe(state, plan, anchor, now);
                } catch (IllegalArgumentException alreadyThatPlan) {
                    // The plan the next cycle will have anyway: a rejection, the state stays as it was.
                    assertThat(alreadyThatPlan).hasMessageContaining(plan.planId());
                }
            }
            rollCycle();
        }

        private void rollCycle() {
            if (!state.cycleStart().equals(cycleStart)) {
                cycleStart = state.cycleStart();
                overageInCycle = false;
            }
        }

        private void checkBurn(Allowance before, BurnResult result, long billed) {
            Burn burn = result.burn();
            assertThat(burn.billedSeconds()).as("parts of %s", burn).isEqualTo(billed);
            assertThat(burn.planSeconds()).isLessThanOrEqualTo(before.planSeconds());
            assertThat(burn.addOnSeconds()).isLessThanOrEqualTo(before.addOnSeconds());
            assertThat(burn.licenseSeconds()).isLessThanOrEqualTo(before.licenseSeconds());
            // A later bucket is touched only once the earlier ones are empty.
            if (burn.addOnSeconds() > 0 || burn.licenseSeconds() > 0 || burn.overageSeconds() > 0) {
                assertThat(result.allowance().planSeconds()).isZero();
            }
            if (burn.licenseSeconds() > 0 || burn.overageSeconds() > 0) {
                assertThat(result.allowance().addOnSeconds()).isZero();
            }
            if (burn.overageSeconds() > 0) {
                assertThat(result.allowance().licenseSeconds()).isZero();
            }
            assertThat(result.cycleStart()).isEqualTo(before.cycleStart());
        }

        void checkInvariants() {
            assertThat(state.planSeconds()).isBetween(0L, state.includedSeconds());
            assertThat(state.addOnSeconds()).isNotNegative();
            assertThat(state.licenseSeconds()).isNotNegative();
            assertThat(state.usedSeconds()).isNotNegative();
            assertThat(state.cycleTotalSeconds()).isNotNegative();
            if (!overageInCycle) {
                assertThat(state.usedSeconds()).as("used within total of a cycle without overage")
                        .isLessThanOrEqualTo(state.cycleTotalSeconds());
            }
        }
    }

    @Property(tries = 300)
    void shouldKeepBucketsNonNegativeAndBurnsSummingToBilledWhenHistoryIsRandom(
            @ForAll("histories") List<Step> steps) {
        Run run = new Run();

        run.play(steps);

        assertThat(run.state.availableSeconds()).isNotNegative();
    }

    @Property(tries = 300)
    void shouldReturnToPriorStateWhenBurnIsRestoredRightAfterIt(
            @ForAll("histories") List<Step> steps,
            @ForAll @LongRange(min = 0, max = 40_000) long billedSeconds) {
        Run run = new Run();
        run.play(steps);
        Allowance before = AllowanceBook.rollOver(run.state, run.now);

        BurnResult burned = AllowanceBook.burn(before, billedSeconds, run.now);
        Allowance restored = AllowanceBook.restore(burned.allowance(), burned.burn(), burned.cycleStart(), run.now);

        assertThat(restored).isEqualTo(before);
    }

    @Property(tries = 300)
    void shouldGiveBackOnlyAddOnAndLicenseSecondsWhenBurnIsRestoredInALaterCycle(
            @ForAll("histories") List<Step> steps,
            @ForAll @LongRange(min = 0, max = 40_000) long billedSeconds,
            @ForAll @LongRange(min = 31, max = 400) long daysLater,
            @ForAll @LongRange(min = 1, max = 6_000) long billedInLaterCycle) {
        Run run = new Run();
        run.play(steps);
        BurnResult burned = AllowanceBook.burn(run.state, billedSeconds, run.now);
        Instant later = run.now.plus(Duration.ofDays(daysLater));
        // Used in the later cycle too, so that a plan bucket or used counter touched by mistake would show.
        Allowance renewed = AllowanceBook.burn(burned.allowance(), billedInLaterCycle, later).allowance();

        Allowance restored = AllowanceBook.restore(renewed, burned.burn(), burned.cycleStart(), later);

        if (!renewed.cycleStart().equals(burned.cycleStart())) {
            assertThat(restored.planSeconds()).isEqualTo(renewed.planSeconds());
            assertThat(restored.usedSeconds()).isEqualTo(renewed.usedSeconds());
            assertThat(restored.cycleTotalSeconds()).isEqualTo(renewed.cycleTotalSeconds()
                    + burned.burn().addOnSeconds() + burned.burn().licenseSeconds());
        }
        assertThat(restored.addOnSeconds()).isEqualTo(renewed.addOnSeconds() + burned.burn().addOnSeconds());
        assertThat(restored.licenseSeconds()).isEqualTo(renewed.licenseSeconds() + burned.burn().licenseSeconds());
    }

    @Property(tries = 300)
    void shouldChangeNothingWhenRollingOverTwiceToSameClock(@ForAll("histories") List<Step> steps,
                                                           @ForAll @LongRange(min = 0, max = 40_000_000) long later) {
        Run run = new Run();
        run.play(steps);
        Instant at = run.now.plusSeconds(later);
        Allowance once = AllowanceBook.rollOver(run.state, at);

        assertThat(AllowanceBook.rollOver(once, at)).isSameAs(once);
    }

    // --- the overage rounding rule ---

    @Property
    void shouldNeverChargeMoreThanPriceWhenPricingOverage(
            @ForAll @LongRange(min = 0, max = MAX_PRICE) long price,
            @ForAll @LongRange(min = 0, max = 1_000_000) long billed,
            @ForAll @LongRange(min = 0, max = 1_000_000) long overage) {
        long overageSeconds = billed == 0 ? 0 : overage % (billed + 1);

        assertThat(AllowanceBook.overagePriceMicros(price, billed, overageSeconds)).isBetween(0L, price);
    }

    @Property
    void shouldChargeWholePriceWhenOverageIsEveryBilledSecond(
            @ForAll @LongRange(min = 0, max = MAX_PRICE) long price,
            @ForAll @LongRange(min = 0, max = 1_000_000) long billed) {
        assertThat(AllowanceBook.overagePriceMicros(price, billed, billed)).isEqualTo(price);
    }

    @Property
    void shouldRoundHalfUpLikeBigDecimalWhenPricingOverage(
            @ForAll @LongRange(min = 0, max = MAX_PRICE) long price,
            @ForAll @LongRange(min = 1, max = 1_000_000) long billed,
            @ForAll @LongRange(min = 0, max = 1_000_000) long overage) {
        long overageSeconds = overage % (billed + 1);
        long expected = BigDecimal.valueOf(price).multiply(BigDecimal.valueOf(overageSeconds))
                .divide(BigDecimal.valueOf(billed), 0, RoundingMode.HALF_UP).longValueExact();

        assertThat(AllowanceBook.overagePriceMicros(price, billed, overageSeconds)).isEqualTo(expected);
    }

    @Property
    void shouldNeverChargeLessWhenOverageGrows(
            @ForAll @LongRange(min = 0, max = MAX_PRICE) long price,
            @ForAll @LongRange(min = 1, max = 1_000_000) long billed,
            @ForAll @LongRange(min = 0, max = 1_000_000) long a,
            @ForAll @LongRange(min = 0, max = 1_000_000) long b) {
        long lower = Math.min(a, b) % (billed + 1);
        long higher = Math.max(lower, Math.max(a, b) % (billed + 1));

        assertThat(AllowanceBook.overagePriceMicros(price, billed, lower))
                .isLessThanOrEqualTo(AllowanceBook.overagePriceMicros(price, billed, higher));
    }
}
