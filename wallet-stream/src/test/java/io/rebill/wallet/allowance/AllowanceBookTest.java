package io.rebill.wallet.allowance;

import static io.rebill.wallet.allowance.AllowanceFixtures.BASIC;
import static io.rebill.wallet.allowance.AllowanceFixtures.PRO;
import static io.rebill.wallet.allowance.AllowanceFixtures.PRO_V2;
import static io.rebill.wallet.allowance.AllowanceFixtures.START;
import static io.rebill.wallet.allowance.AllowanceFixtures.TRIAL;
import static io.rebill.wallet.allowance.AllowanceFixtures.at;
import static io.rebill.wallet.allowance.AllowanceFixtures.days;
import static io.rebill.wallet.allowance.AllowanceFixtures.minutes;
import static io.rebill.wallet.allowance.AllowanceFixtures.subscribedAtStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AllowanceBookTest {

    // --- trial ---

    @Test
    void shouldStartOnTrialWithTrialMinutesAndExpiryWhenSubAccountIsCreated() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);

        assertThat(trial.currentPlan()).isNull();
        assertThat(trial.onTrial()).isTrue();
        assertThat(trial.cycleStart()).isEqualTo(START);
        assertThat(trial.nextCycleStart()).isNull();
        assertThat(trial.trialEndsAt()).isEqualTo(days(START, 14));
        assertThat(trial.expiresAt()).isEqualTo(days(START, 14));
        assertThat(trial.includedSeconds()).isEqualTo(minutes(30));
        assertThat(trial.planSeconds()).isEqualTo(minutes(30));
        assertThat(trial.cycleTotalSeconds()).isEqualTo(minutes(30));
        assertThat(trial.usedSeconds()).isZero();
    }

    @Test
    void shouldStartWithoutIncludedMinutesWhenTrialHasZeroDays() {
        Allowance none = AllowanceBook.startTrial(new TrialTerms(30, 0), START);

        assertThat(none.onTrial()).isFalse();
        assertThat(none.planSeconds()).isZero();
        assertThat(none.cycleTotalSeconds()).isZero();
    }

    @Test
    void shouldLoseUnusedTrialMinutesAndKeepAddOnsWhenTrialEnds() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);
        trial = AllowanceBook.grant(trial, Grant.addOn("Elite", 100, null), days(START, 1));
        trial = AllowanceBook.burn(trial, 600, days(START, 2)).allowance();

        Allowance ended = AllowanceBook.rollOver(trial, days(START, 14));

        assertThat(ended.onTrial()).isFalse();
        assertThat(ended.currentPlan()).isNull();
        assertThat(ended.cycleStart()).isEqualTo(days(START, 14));
        assertThat(ended.planSeconds()).isZero();
        assertThat(ended.includedSeconds()).isZero();
        assertThat(ended.addOnSeconds()).isEqualTo(minutes(100));
        assertThat(ended.usedSeconds()).isZero();
        assertThat(ended.cycleTotalSeconds()).isEqualTo(minutes(100));
        assertThat(ended.expiresAt()).isEqualTo(days(START, 14));
    }

    @Test
    void shouldKeepTrialWhenClockIsBeforeTrialEnd() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);

        assertThat(AllowanceBook.rollOver(trial, days(START, 14).minusMillis(1))).isSameAs(trial);
    }

    // --- subscribing ---

    @Test
    void shouldApplyPlanNowWhenSubscribingFromTrial() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);
        trial = AllowanceBook.grant(trial, Grant.addOn("Pro", 150, null), days(START, 1));
        trial = AllowanceBook.burn(trial, 300, days(START, 2)).allowance();
        Instant now = days(START, 3);

        Allowance subscribed = AllowanceBook.subscribe(trial, BASIC, START, now);

        assertThat(subscribed.currentPlan()).isEqualTo(BASIC);
        assertThat(subscribed.pendingPlan()).isNull();
        assertThat(subscribed.cycleAnchor()).isEqualTo(START);
        assertThat(subscribed.cycleStart()).isEqualTo(now);
        assertThat(subscribed.nextCycleStart()).isEqualTo(at("2026-02-15T10:00:00Z"));
        assertThat(subscribed.planSeconds()).isEqualTo(minutes(100));
        assertThat(subscribed.includedSeconds()).isEqualTo(minutes(100));
        assertThat(subscribed.addOnSeconds()).isEqualTo(minutes(150));
        assertThat(subscribed.usedSeconds()).isZero();
        assertThat(subscribed.cycleTotalSeconds()).isEqualTo(minutes(250));
        assertThat(subscribed.trialEndsAt()).isNull();
        assertThat(subscribed.expiresAt()).isNull();
    }

    @Test
    void shouldEndCycleAtNextAnchorBoundaryWhenSubscribingWithAnchorInThePast() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);

        Allowance subscribed = AllowanceBook.subscribe(trial, BASIC, at("2025-11-03T00:00:00Z"),
                at("2026-01-20T12:00:00Z"));

        assertThat(subscribed.nextCycleStart()).isEqualTo(at("2026-02-03T00:00:00Z"));
    }

    @Test
    void shouldEndCycleAtAnchorWhenSubscribingWithAnchorInTheFuture() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);

        Allowance subscribed = AllowanceBook.subscribe(trial, BASIC, at("2026-02-01T00:00:00Z"), START);

        assertThat(subscribed.nextCycleStart()).isEqualTo(at("2026-02-01T00:00:00Z"));
    }

    @Test
    void shouldAnchorCyclesAtNowWhenSubscribingAfterTrialEndedWithoutAnchor() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);
        Instant now = at("2026-02-10T08:30:00Z");

        Allowance subscribed = AllowanceBook.subscribe(trial, PRO, null, now);

        assertThat(subscribed.currentPlan()).isEqualTo(PRO);
        assertThat(subscribed.cycleAnchor()).isEqualTo(now);
        assertThat(subscribed.cycleStart()).isEqualTo(now);
        assertThat(subscribed.nextCycleStart()).isEqualTo(at("2026-03-10T08:30:00Z"));
        assertThat(subscribed.planSeconds()).isEqualTo(minutes(1_000));
    }

    @Test
    void shouldKeepOldPlanMinutesForRestOfCycleWhenChangingPlanMidCycle() {
        Allowance basic = subscribedAtStart(BASIC);
        basic = AllowanceBook.burn(basic, 1_200, at("2026-01-20T10:00:00Z")).allowance();

        Allowance changed = AllowanceBook.subscribe(basic, PRO, null, at("2026-01-25T10:00:00Z"));

        assertThat(changed.currentPlan()).isEqualTo(BASIC);
        assertThat(changed.pendingPlan()).isEqualTo(PRO);
        assertThat(changed.planSeconds()).isEqualTo(minutes(100) - 1_200);
        assertThat(changed.includedSeconds()).isEqualTo(minutes(100));
        assertThat(changed.cycleStart()).isEqualTo(START);
        assertThat(changed.nextCycleStart()).isEqualTo(at("2026-02-15T10:00:00Z"));
    }

    @Test
    void shouldSwitchToPendingPlanWhenNextCycleStarts() {
        Allowance changed = AllowanceBook.subscribe(subscribedAtStart(BASIC), PRO, START, at("2026-01-25T10:00:00Z"));

        Allowance renewed = AllowanceBook.rollOver(changed, at("2026-02-15T10:00:00Z"));

        assertThat(renewed.currentPlan()).isEqualTo(PRO);
        assertThat(renewed.pendingPlan()).isNull();
        assertThat(renewed.planSeconds()).isEqualTo(minutes(1_000));
        assertThat(renewed.cycleStart()).isEqualTo(at("2026-02-15T10:00:00Z"));
        assertThat(renewed.nextCycleStart()).isEqualTo(at("2026-03-15T10:00:00Z"));
    }

    @Test
    void shouldReplacePendingPlanWhenChangingPlanTwiceInOneCycle() {
        Allowance changed = AllowanceBook.subscribe(subscribedAtStart(BASIC), PRO, null, at("2026-01-20T10:00:00Z"));

        Allowance again = AllowanceBook.subscribe(changed, PRO_V2, null, at("2026-01-21T10:00:00Z"));

        assertThat(again.pendingPlan()).isEqualTo(PRO_V2);
    }

    @Test
    void shouldCancelPendingChangeWhenChoosingCurrentPlanAgain() {
        Allowance changed = AllowanceBook.subscribe(subscribedAtStart(BASIC), PRO, null, at("2026-01-20T10:00:00Z"));

        Allowance cancelled = AllowanceBook.subscribe(changed, BASIC, null, at("2026-01-21T10:00:00Z"));

        assertThat(cancelled.currentPlan()).isEqualTo(BASIC);
        assertThat(cancelled.pendingPlan()).isNull();
    }

    @Test
    void shouldRejectPlanChangeWhenPlanVersionIsAlreadyCurrent() {
        Allowance basic = subscribedAtStart(BASIC);

        assertThatThrownBy(() -> AllowanceBook.subscribe(basic, BASIC, null, at("2026-01-20T10:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already on plan basic v1");
    }

    @Test
    void shouldRejectPlanChangeWhenPlanVersionIsAlreadyScheduled() {
        Allowance changed = AllowanceBook.subscribe(subscribedAtStart(BASIC), PRO, null, at("2026-01-20T10:00:00Z"));

        assertThatThrownBy(() -> AllowanceBook.subscribe(changed, PRO, null, at("2026-01-21T10:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pro v1 is already scheduled");
    }

    @Test
    void shouldRejectPlanWhenKnownVersionComesWithOtherTerms() {
        Plan editedBasic = new Plan("basic", 1, "Basic", 200, 29_000_000L, "USD");
        Allowance basic = subscribedAtStart(BASIC);

        assertThatThrownBy(() -> AllowanceBook.subscribe(basic, editedBasic, null, at("2026-01-20T10:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a new version");
    }

    @Test
    void shouldRejectPlanChangeWhenItNamesAnotherAnchor() {
        Allowance basic = subscribedAtStart(BASIC);

        assertThatThrownBy(() -> AllowanceBook.subscribe(basic, PRO, at("2026-01-01T00:00:00Z"),
                at("2026-01-20T10:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keeps the cycle anchor");
    }

    // --- roll-over ---

    @Test
    void shouldJumpToCycleContainingNowWhenSeveralCyclesWereMissed() {
        Allowance basic = AllowanceBook.grant(subscribedAtStart(BASIC), Grant.addOn("Elite", 100, null), START);
        basic = AllowanceBook.burn(basic, 900, at("2026-01-16T10:00:00Z")).allowance();
        basic = AllowanceBook.subscribe(basic, PRO, null, at("2026-01-17T10:00:00Z"));

        Allowance later = AllowanceBook.rollOver(basic, at("2026-05-20T00:00:00Z"));

        assertThat(later.currentPlan()).isEqualTo(PRO);
        assertThat(later.pendingPlan()).isNull();
        assertThat(later.cycleStart()).isEqualTo(at("2026-05-15T10:00:00Z"));
        assertThat(later.nextCycleStart()).isEqualTo(at("2026-06-15T10:00:00Z"));
        assertThat(later.planSeconds()).isEqualTo(minutes(1_000));
        assertThat(later.addOnSeconds()).isEqualTo(minutes(100));
        assertThat(later.usedSeconds()).isZero();
        assertThat(later.cycleTotalSeconds()).isEqualTo(minutes(1_100));
    }

    @Test
    void shouldFallOnLastDayOfShortMonthsWhenAnchorIsOn31st() {
        Instant anchor = at("2026-01-31T08:00:00Z");
        Allowance basic = AllowanceBook.subscribe(AllowanceBook.startTrial(TRIAL, anchor), BASIC, anchor, anchor);

        assertThat(basic.nextCycleStart()).isEqualTo(at("2026-02-28T08:00:00Z"));
        Allowance february = AllowanceBook.rollOver(basic, at("2026-02-28T08:00:00Z"));
        assertThat(february.cycleStart()).isEqualTo(at("2026-02-28T08:00:00Z"));
        assertThat(february.nextCycleStart()).isEqualTo(at("2026-03-31T08:00:00Z"));
        Allowance april = AllowanceBook.rollOver(february, at("2026-04-01T00:00:00Z"));
        assertThat(april.cycleStart()).isEqualTo(at("2026-03-31T08:00:00Z"));
        assertThat(april.nextCycleStart()).isEqualTo(at("2026-04-30T08:00:00Z"));
    }

    @Test
    void shouldCarryOverAddOnAndLicenseMinutesButNotIncludedMinutesWhenCycleRenews() {
        Allowance basic = subscribedAtStart(BASIC);
        basic = AllowanceBook.grant(basic, Grant.addOn("Nexus", 300, null), at("2026-01-16T10:00:00Z"));
        basic = AllowanceBook.grant(basic, Grant.licenseMinutes("Goodwill", 50, "outage credit"),
                at("2026-01-16T11:00:00Z"));
        basic = AllowanceBook.burn(basic, 1_000, at("2026-01-17T10:00:00Z")).allowance();

        Allowance renewed = AllowanceBook.rollOver(basic, at("2026-02-15T10:00:00Z"));

        assertThat(renewed.planSeconds()).isEqualTo(minutes(100));
        assertThat(renewed.addOnSeconds()).isEqualTo(minutes(300));
        assertThat(renewed.licenseSeconds()).isEqualTo(minutes(50));
        assertThat(renewed.usedSeconds()).isZero();
        assertThat(renewed.cycleTotalSeconds()).isEqualTo(minutes(450));
    }

    @Test
    void shouldChangeNothingWhenClockIsBeforeCycleStart() {
        Allowance basic = AllowanceBook.rollOver(subscribedAtStart(BASIC), at("2026-02-16T00:00:00Z"));

        assertThat(AllowanceBook.rollOver(basic, at("2026-02-01T00:00:00Z"))).isSameAs(basic);
    }

    // --- grants ---

    @Test
    void shouldAddMinutesToBucketAndCycleTotalWhenGrantingAddOnOrLicense() {
        Allowance basic = subscribedAtStart(BASIC);

        Allowance granted = AllowanceBook.grant(
                AllowanceBook.grant(basic, Grant.addOn("Pro", 150, null), START),
                Grant.licenseMinutes("Promo", 20, "launch promo"), START);

        assertThat(granted.addOnSeconds()).isEqualTo(minutes(150));
        assertThat(granted.licenseSeconds()).isEqualTo(minutes(20));
        assertThat(granted.cycleTotalSeconds()).isEqualTo(minutes(270));
        assertThat(granted.recentGrants()).extracting(g -> g.grant().name()).containsExactly("Pro", "Promo");
    }

    @Test
    void shouldExtendExpiryFromCurrentExpiryWhenLicenseDaysAreGrantedBeforeIt() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);

        Allowance licensed = AllowanceBook.grant(trial, Grant.licenseDays("Extension", 30, null), days(START, 1));

        assertThat(licensed.expiresAt()).isEqualTo(days(START, 14 + 30));
    }

    @Test
    void shouldExtendExpiryFromNowWhenLicenseDaysAreGrantedAfterExpiry() {
        Allowance trial = AllowanceBook.startTrial(TRIAL, START);
        Instant now = days(START, 20);

        Allowance licensed = AllowanceBook.grant(trial, Grant.licenseDays("Extension", 10, null), now);

        assertThat(licensed.expiresAt()).isEqualTo(days(now, 10));
    }

    @Test
    void shouldExtendExpiryFromNowWhenLicenseDaysAreGrantedWithoutExpiry() {
        Allowance basic = subscribedAtStart(BASIC);
        Instant now = days(START, 3);

        Allowance licensed = AllowanceBook.grant(basic, Grant.licenseDays("Annual", 365, null), now);

        assertThat(licensed.expiresAt()).isEqualTo(days(now, 365));
    }

    @Test
    void shouldAddNoMinutesWhenLicenseGrantsDays() {
        Allowance basic = subscribedAtStart(BASIC);

        Allowance licensed = AllowanceBook.grant(basic, Grant.licenseDays("Extension", 30, null), START);

        assertThat(licensed.availableSeconds()).isEqualTo(basic.availableSeconds());
        assertThat(licensed.cycleTotalSeconds()).isEqualTo(basic.cycleTotalSeconds());
    }

    @Test
    void shouldNotProlongTrialMinutesWhenLicenseDaysExtendExpiry() {
        Allowance trial = AllowanceBook.grant(AllowanceBook.startTrial(TRIAL, START),
                Grant.licenseDays("Extension", 30, null), days(START, 1));

        Allowance ended = AllowanceBook.rollOver(trial, days(START, 14));

        assertThat(ended.planSeconds()).isZero();
        assertThat(ended.expiresAt()).isEqualTo(days(START, 44));
    }

    @Test
    void shouldKeepOnlyLastTwentyGrantsWhenMoreAreGranted() {
        Allowance state = AllowanceBook.startTrial(TRIAL, START);
        for (int i = 1; i <= 25; i++) {
            state = AllowanceBook.grant(state, Grant.addOn("bundle-" + i, 100, null), START.plusSeconds(i));
        }

        assertThat(state.recentGrants()).hasSize(Allowance.MAX_RECENT_GRANTS);
        assertThat(state.recentGrants().get(0).grant().name()).isEqualTo("bundle-6");
        assertThat(state.recentGrants().get(19).grant().name()).isEqualTo("bundle-25");
        assertThat(state.recentGrants().get(19).grantedAt()).isEqualTo(START.plusSeconds(25));
        assertThat(state.addOnSeconds()).isEqualTo(minutes(2_500));
    }

    // --- burning ---

    @Test
    void shouldBurnPlanThenAddOnThenLicenseThenOverageWhenCallSpansAllBuckets() {
        Allowance basic = subscribedAtStart(BASIC);
        basic = AllowanceBook.grant(basic, Grant.addOn("Small", 10, null), START);
        basic = AllowanceBook.grant(basic, Grant.licenseMinutes("Goodwill", 5, null), START);

        BurnResult result = AllowanceBook.burn(basic, 7_000, at("2026-01-16T10:00:00Z"));

        assertThat(result.burn()).isEqualTo(new Burn(6_000, 600, 300, 100));
        assertThat(result.cycleStart()).isEqualTo(START);
        assertThat(result.allowance().planSeconds()).isZero();
        assertThat(result.allowance().addOnSeconds()).isZero();
        assertThat(result.allowance().licenseSeconds()).isZero();
        assertThat(result.allowance().usedSeconds()).isEqualTo(7_000);
    }

    @Test
    void shouldBurnOnlyPlanMinutesWhenTheyCoverTheCall() {
        Allowance basic = AllowanceBook.grant(subscribedAtStart(BASIC), Grant.addOn("Small", 10, null), START);

        BurnResult result = AllowanceBook.burn(basic, 61, at("2026-01-16T10:00:00Z"));

        assertThat(result.burn()).isEqualTo(new Burn(61, 0, 0, 0));
        assertThat(result.allowance().planSeconds()).isEqualTo(minutes(100) - 61);
        assertThat(result.allowance().addOnSeconds()).isEqualTo(minutes(10));
    }

    @Test
    void shouldBurnFromNewCycleWhenCallFallsAfterRenewal() {
        Allowance basic = AllowanceBook.burn(subscribedAtStart(BASIC), minutes(100), START).allowance();

        BurnResult result = AllowanceBook.burn(basic, 60, at("2026-02-15T10:00:01Z"));

        assertThat(result.burn()).isEqualTo(new Burn(60, 0, 0, 0));
        assertThat(result.cycleStart()).isEqualTo(at("2026-02-15T10:00:00Z"));
        assertThat(result.allowance().usedSeconds()).isEqualTo(60);
    }

    @Test
    void shouldBurnNothingWhenBilledSecondsAreZero() {
        Allowance basic = subscribedAtStart(BASIC);

        BurnResult result = AllowanceBook.burn(basic, 0, START);

        assertThat(result.burn()).isEqualTo(Burn.NONE);
        assertThat(result.allowance()).isEqualTo(basic);
    }

    @Test
    void shouldRejectBurnWhenBilledSecondsAreNegative() {
        Allowance basic = subscribedAtStart(BASIC);

        assertThatThrownBy(() -> AllowanceBook.burn(basic, -1, START))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }

    // --- reversals ---

    @Test
    void shouldGiveEverySecondBackWhenReversedInSameCycle() {
        Allowance basic = subscribedAtStart(BASIC);
        basic = AllowanceBook.grant(basic, Grant.addOn("Small", 10, null), START);
        basic = AllowanceBook.grant(basic, Grant.licenseMinutes("Goodwill", 5, null), START);
        basic = AllowanceBook.burn(basic, 200, at("2026-01-16T09:00:00Z")).allowance();
        BurnResult burned = AllowanceBook.burn(basic, 7_000, at("2026-01-16T10:00:00Z"));

        Allowance restored = AllowanceBook.restore(burned.allowance(), burned.burn(), burned.cycleStart(),
                at("2026-01-20T10:00:00Z"));

        assertThat(restored).isEqualTo(basic);
        assertThat(restored.usedSeconds()).isEqualTo(200);
    }

    @Test
    void shouldGiveBackOnlyAddOnAndLicenseSecondsWhenReversedAfterCycleRenewed() {
        Allowance basic = subscribedAtStart(BASIC);
        basic = AllowanceBook.grant(basic, Grant.addOn("Small", 10, null), START);
        basic = AllowanceBook.grant(basic, Grant.licenseMinutes("Goodwill", 5, null), START);
        BurnResult burned = AllowanceBook.burn(basic, 7_000, at("2026-02-14T10:00:00Z"));
        Allowance renewed = AllowanceBook.burn(burned.allowance(), 120, at("2026-02-16T10:00:00Z")).allowance();

        Allowance restored = AllowanceBook.restore(renewed, burned.burn(), burned.cycleStart(),
                at("2026-02-17T10:00:00Z"));

        assertThat(restored.planSeconds()).isEqualTo(minutes(100) - 120);
        assertThat(restored.addOnSeconds()).isEqualTo(minutes(10));
        assertThat(restored.licenseSeconds()).isEqualTo(minutes(5));
        assertThat(restored.usedSeconds()).isEqualTo(120);
        assertThat(restored.cycleTotalSeconds()).isEqualTo(minutes(100) + minutes(15));
    }

    @Test
    void shouldNotGiveTrialMinutesBackWhenReversedAfterTrialEnded() {
        BurnResult burned = AllowanceBook.burn(AllowanceBook.startTrial(TRIAL, START), 600, days(START, 1));

        Allowance restored = AllowanceBook.restore(burned.allowance(), burned.burn(), burned.cycleStart(),
                days(START, 15));

        assertThat(restored.planSeconds()).isZero();
        assertThat(restored.usedSeconds()).isZero();
    }

    @Test
    void shouldNotGiveTrialMinutesToPlanWhenReversedAfterSubscribing() {
        BurnResult burned = AllowanceBook.burn(AllowanceBook.startTrial(TRIAL, START), 600, days(START, 1));
        Allowance basic = AllowanceBook.subscribe(burned.allowance(), BASIC, START, days(START, 2));
        basic = AllowanceBook.burn(basic, 60, days(START, 3)).allowance();

        Allowance restored = AllowanceBook.restore(basic, burned.burn(), burned.cycleStart(), days(START, 4));

        assertThat(restored.planSeconds()).isEqualTo(minutes(100) - 60);
        assertThat(restored.usedSeconds()).isEqualTo(60);
    }

    @Test
    void shouldKeepUsedAtZeroAndPlanWithinIncludedWhenSameBurnIsRestoredTwice() {
        BurnResult burned = AllowanceBook.burn(subscribedAtStart(BASIC), 300, START);
        Allowance once = AllowanceBook.restore(burned.allowance(), burned.burn(), burned.cycleStart(), START);

        Allowance twice = AllowanceBook.restore(once, burned.burn(), burned.cycleStart(), START);

        assertThat(twice.usedSeconds()).isZero();
        assertThat(twice.planSeconds()).isEqualTo(minutes(100));
    }
}
