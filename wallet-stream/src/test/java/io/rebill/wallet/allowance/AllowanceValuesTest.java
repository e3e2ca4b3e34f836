package io.rebill.wallet.allowance;

import static io.rebill.wallet.allowance.AllowanceFixtures.BASIC;
import static io.rebill.wallet.allowance.AllowanceFixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.wallet.AllowanceKind;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the value records refuse, so that an invalid plan, grant or state never exists. */
class AllowanceValuesTest {

    @Test
    void shouldRejectPlanWhenIdIsBlank() {
        assertThatThrownBy(() -> new Plan(" ", 1, "Basic", 100, 0, "USD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    }

    @Test
    void shouldRejectPlanWhenVersionIsBelowOne() {
        assertThatThrownBy(() -> new Plan("basic", 0, "Basic", 100, 0, "USD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }

    @Test
    void shouldRejectPlanWhenIncludedMinutesAreNegative() {
        assertThatThrownBy(() -> new Plan("basic", 1, "Basic", -1, 0, "USD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("included minutes");
    }

    @Test
    void shouldRejectPlanWhenPriceIsNegative() {
        assertThatThrownBy(() -> new Plan("basic", 1, "Basic", 100, -1, "USD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("price");
    }

    @Test
    void shouldRejectPlanWhenNameOrCurrencyIsMissing() {
        assertThatThrownBy(() -> new Plan("basic", 1, "", 100, 0, "USD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> new Plan("basic", 1, "Basic", 100, 0, "usd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("currency");
    }

    @Test
    void shouldAcceptFreePlanWithoutMinutesWhenValuesAreZero() {
        Plan free = new Plan("free", 1, "Free", 0, 0, "EUR");

        assertThat(free.includedSeconds()).isZero();
    }

    @Test
    void shouldTellSameVersionWhenIdAndVersionMatch() {
        assertThat(BASIC.isSameVersionAs(new Plan("basic", 1, "Renamed", 5, 1, "USD"))).isTrue();
        assertThat(BASIC.isSameVersionAs(new Plan("basic", 2, "Basic", 100, 29_000_000L, "USD"))).isFalse();
        assertThat(BASIC.isSameVersionAs(null)).isFalse();
    }

    @Test
    void shouldRejectTrialTermsWhenNegative() {
        assertThatThrownBy(() -> new TrialTerms(-1, 14)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrialTerms(30, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectGrantWhenItHasNeitherMinutesNorDays() {
        assertThatThrownBy(() -> new Grant(AllowanceKind.LICENSE, "Empty", 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither minutes nor days");
    }

    @Test
    void shouldRejectGrantWhenMinutesOrDaysAreNegative() {
        assertThatThrownBy(() -> Grant.addOn("Nexus", -300, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Grant.licenseDays("Ext", -1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectGrantWhenKindIsUnknownOrNameIsBlank() {
        assertThatThrownBy(() -> new Grant(AllowanceKind.UNKNOWN, "x", 10, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ADD_ON or LICENSE");
        assertThatThrownBy(() -> new Grant(null, "x", 10, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Grant.addOn(" ", 10, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    @Test
    void shouldRejectAddOnWhenItCarriesDays() {
        assertThatThrownBy(() -> new Grant(AllowanceKind.ADD_ON, "Nexus", 300, 30, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not days");
    }

    @Test
    void shouldRejectLicenseWhenItCarriesMinutesAndDays() {
        assertThatThrownBy(() -> new Grant(AllowanceKind.LICENSE, "Both", 60, 30, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void shouldRejectMinutesWhenTheirSecondsWouldOverflow() {
        assertThatThrownBy(() -> Grant.addOn("Huge", Long.MAX_VALUE / 60 + 1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectBurnWhenAPartIsNegative() {
        assertThatThrownBy(() -> new Burn(1, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSumPartsWhenAskedForBilledSeconds() {
        Burn burn = new Burn(1, 20, 300, 4_000);

        assertThat(burn.coveredSeconds()).isEqualTo(321);
        assertThat(burn.billedSeconds()).isEqualTo(4_321);
    }

    @Test
    void shouldRejectAllowanceWhenPlanBucketExceedsIncluded() {
        assertThatThrownBy(() -> new Allowance(null, null, START, START, null, null, null, 60, 61, 0, 0, 0, 61,
                List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }

    @Test
    void shouldRejectAllowanceWhenABucketIsNegative() {
        assertThatThrownBy(() -> new Allowance(null, null, START, START, null, null, null, 0, 0, -1, 0, 0, 0,
                List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("addOnSeconds");
    }

    @Test
    void shouldRejectAllowanceWhenItKeepsMoreThanTwentyGrants() {
        RecordedGrant grant = new RecordedGrant(Grant.addOn("Elite", 100, null), START);

        assertThatThrownBy(() -> new Allowance(null, null, START, START, null, null, null, 0, 0, 0, 0, 0, 0,
                Collections.nCopies(21, grant))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAllowanceWhenPlanHasNoLaterRenewal() {
        assertThatThrownBy(() -> new Allowance(BASIC, null, START, START, START, null, null, 0, 0, 0, 0, 0, 0,
                List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("next cycle start");
    }

    @Test
    void shouldRejectAllowanceWhenTrialHasPendingPlan() {
        assertThatThrownBy(() -> new Allowance(null, BASIC, START, START, null, null, null, 0, 0, 0, 0, 0, 0,
                List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no pending plan");
    }
}
