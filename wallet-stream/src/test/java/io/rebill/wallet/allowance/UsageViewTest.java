package io.rebill.wallet.allowance;

import static io.rebill.wallet.allowance.AllowanceFixtures.BASIC;
import static io.rebill.wallet.allowance.AllowanceFixtures.PRO;
import static io.rebill.wallet.allowance.AllowanceFixtures.START;
import static io.rebill.wallet.allowance.AllowanceFixtures.TRIAL;
import static io.rebill.wallet.allowance.AllowanceFixtures.at;
import static io.rebill.wallet.allowance.AllowanceFixtures.days;
import static io.rebill.wallet.allowance.AllowanceFixtures.subscribedAtStart;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageViewTest {

    @Test
    void shouldShowCycleFiguresWithTwoDecimalPercentageWhenPlanIsPartlyUsed() {
        Allowance pro = subscribedAtStart(PRO);
        pro = AllowanceBook.grant(pro, Grant.addOn("Nexus", 300, null), at("2026-01-20T10:00:00Z"));
        pro = AllowanceBook.burn(pro, 20_327, at("2026-01-21T10:00:00Z")).allowance();

        UsageView view = AllowanceBook.view(pro, at("2026-01-22T10:00:00Z"));

        assertThat(view.planId()).isEqualTo("pro");
        assertThat(view.planVersion()).isEqualTo(1);
        assertThat(view.planName()).isEqualTo("Pro");
        assertThat(view.includedMinutes()).isEqualTo("1000.00");
        assertThat(view.includedRemainingMinutes()).isEqualTo("661.22");
        assertThat(view.addOnMinutes()).isEqualTo("300.00");
        assertThat(view.licensedMinutes()).isEqualTo("0.00");
        assertThat(view.totalMinutes()).isEqualTo("1300.00");
        assertThat(view.usedMinutes()).isEqualTo("338.78");
        assertThat(view.remainingMinutes()).isEqualTo("961.22");
        // 20327 / 78000 = 26.0602...%
        assertThat(view.percentUsed()).isEqualTo("26.06");
        assertThat(view.cycleStart()).isEqualTo(START);
        assertThat(view.nextRenewal()).isEqualTo(at("2026-02-15T10:00:00Z"));
        assertThat(view.expiresAt()).isNull();
        assertThat(view.pendingPlan()).isNull();
        assertThat(view.recentGrants()).extracting(g -> g.grant().name()).containsExactly("Nexus");
    }

    @Test
    void shouldShowZeroRemainingAndMoreThanHundredPercentWhenUsageRanIntoWallet() {
        Allowance trial = AllowanceBook.burn(AllowanceBook.startTrial(TRIAL, START), 2_400, days(START, 1))
                .allowance();

        UsageView view = AllowanceBook.view(trial, days(START, 1));

        assertThat(view.totalMinutes()).isEqualTo("30.00");
        assertThat(view.usedMinutes()).isEqualTo("40.00");
        assertThat(view.remainingMinutes()).isEqualTo("0.00");
        assertThat(view.percentUsed()).isEqualTo("133.33");
    }

    @Test
    void shouldShowZeroPercentWhenCycleHasNoMinutes() {
        Allowance none = AllowanceBook.burn(AllowanceBook.startTrial(new TrialTerms(30, 0), START), 60, START)
                .allowance();

        UsageView view = AllowanceBook.view(none, START);

        assertThat(view.totalMinutes()).isEqualTo("0.00");
        assertThat(view.usedMinutes()).isEqualTo("1.00");
        assertThat(view.percentUsed()).isEqualTo("0.00");
    }

    @Test
    void shouldShowTrialWithExpiryAndNoRenewalWhenOnTrial() {
        UsageView view = AllowanceBook.view(AllowanceBook.startTrial(TRIAL, START), days(START, 1));

        assertThat(view.planName()).isEqualTo(UsageView.TRIAL);
        assertThat(view.planId()).isNull();
        assertThat(view.planVersion()).isNull();
        assertThat(view.includedMinutes()).isEqualTo("30.00");
        assertThat(view.nextRenewal()).isNull();
        assertThat(view.expiresAt()).isEqualTo(days(START, 14));
    }

    @Test
    void shouldShowPendingPlanWhenChangeIsScheduled() {
        Allowance changed = AllowanceBook.subscribe(subscribedAtStart(BASIC), PRO, null, at("2026-01-20T10:00:00Z"));

        UsageView view = AllowanceBook.view(changed, at("2026-01-21T10:00:00Z"));

        assertThat(view.planId()).isEqualTo("basic");
        assertThat(view.pendingPlan()).isEqualTo(PRO);
    }

    @Test
    void shouldShowNewCycleWhenViewedAfterRenewal() {
        Allowance basic = AllowanceBook.burn(subscribedAtStart(BASIC), 600, at("2026-01-20T10:00:00Z")).allowance();

        UsageView view = AllowanceBook.view(basic, at("2026-02-20T10:00:00Z"));

        assertThat(view.cycleStart()).isEqualTo(at("2026-02-15T10:00:00Z"));
        assertThat(view.usedMinutes()).isEqualTo("0.00");
        assertThat(view.remainingMinutes()).isEqualTo("100.00");
        assertThat(view.nextRenewal()).isEqualTo(at("2026-03-15T10:00:00Z"));
    }

    @Test
    void shouldShowLicenseExpiryWhenDaysWereLicensedOnPlan() {
        Allowance basic = AllowanceBook.grant(subscribedAtStart(BASIC), Grant.licenseDays("Annual", 365, "prepaid year"),
                START);

        UsageView view = AllowanceBook.view(basic, START);

        assertThat(view.expiresAt()).isEqualTo(days(START, 365));
        assertThat(view.recentGrants().get(0).grant().remarks()).isEqualTo("prepaid year");
    }

    @Test
    void shouldRoundMinutesHalfUpToTwoPlacesWhenConvertingSeconds() {
        assertThat(UsageView.minutes(0)).isEqualTo("0.00");
        assertThat(UsageView.minutes(90)).isEqualTo("1.50");
        assertThat(UsageView.minutes(100)).isEqualTo("1.67");
        assertThat(UsageView.minutes(1)).isEqualTo("0.02");
    }

    @Test
    void shouldRoundPercentageHalfUpToTwoPlacesWhenItHasMoreDecimals() {
        assertThat(UsageView.percent(26_065, 100_000)).isEqualTo("26.07");
        assertThat(UsageView.percent(26_064, 100_000)).isEqualTo("26.06");
        assertThat(UsageView.percent(2, 3)).isEqualTo("66.67");
        assertThat(UsageView.percent(1, 1)).isEqualTo("100.00");
        assertThat(UsageView.percent(5, 0)).isEqualTo("0.00");
    }
}
