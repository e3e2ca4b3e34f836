package io.rebill.wallet.allowance;

import static io.rebill.wallet.allowance.AllowanceFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BillingCyclesTest {

    private static final Instant JAN_31 = at("2026-01-31T08:00:00Z");

    @Test
    void shouldClampToLastDayOfMonthAndComeBackWhenAnchorIsOn31st() {
        assertThat(BillingCycles.start(JAN_31, 1)).isEqualTo(at("2026-02-28T08:00:00Z"));
        assertThat(BillingCycles.start(JAN_31, 2)).isEqualTo(at("2026-03-31T08:00:00Z"));
        assertThat(BillingCycles.start(JAN_31, 3)).isEqualTo(at("2026-04-30T08:00:00Z"));
        assertThat(BillingCycles.start(JAN_31, 25)).isEqualTo(at("2028-02-29T08:00:00Z"));
    }

    @Test
    void shouldFindCycleWhenInstantIsAtOrJustBeforeAStart() {
        assertThat(BillingCycles.indexContaining(JAN_31, at("2026-02-28T08:00:00Z"))).isEqualTo(1);
        assertThat(BillingCycles.indexContaining(JAN_31, at("2026-02-28T07:59:59.999Z"))).isZero();
        assertThat(BillingCycles.indexContaining(JAN_31, at("2026-03-30T23:00:00Z"))).isEqualTo(1);
        assertThat(BillingCycles.indexContaining(JAN_31, at("2026-03-31T08:00:00Z"))).isEqualTo(2);
    }

    @Test
    void shouldCountBackwardsWhenInstantIsBeforeAnchor() {
        assertThat(BillingCycles.indexContaining(JAN_31, at("2026-01-31T07:59:59Z"))).isEqualTo(-1);
        assertThat(BillingCycles.start(JAN_31, -1)).isEqualTo(at("2025-12-31T08:00:00Z"));
        assertThat(BillingCycles.indexContaining(JAN_31, at("2025-11-30T09:00:00Z"))).isEqualTo(-2);
    }

    @Test
    void shouldFindCycleYearsLaterWhenManyCyclesWereMissed() {
        long index = BillingCycles.indexContaining(JAN_31, at("2036-07-15T00:00:00Z"));

        assertThat(BillingCycles.start(JAN_31, index)).isEqualTo(at("2036-06-30T08:00:00Z"));
    }
}
