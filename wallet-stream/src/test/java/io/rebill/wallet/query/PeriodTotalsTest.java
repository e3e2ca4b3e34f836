package io.rebill.wallet.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.wallet.state.UsageTotals;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's "You pay / Sub-account pays / Profit" of one sub-account in the current month. */
class PeriodTotalsTest {

    private static final LocalDate NOV_1 = LocalDate.of(2026, 11, 1);
    private static final LocalDate NOV_22 = LocalDate.of(2026, 11, 22);

    @Test
    void shouldSumCostPriceAndMarginOfTheSubAccountOnlyAcrossDaysAndUsageTypes() {
        List<UsageTotals> days = List.of(
                totals("acme-dental", UsageType.VOICE, "USD", 3, 500_000_000L, 525_000_000L),
                totals("acme-dental", UsageType.SMS, "USD", 2, 18_504_784L, 19_430_164L),
                totals("acme-law", UsageType.VOICE, "USD", 9, 999_000_000L, 2_497_500_000L));

        PeriodTotals period = PeriodTotals.of("acme-dental", NOV_1, NOV_22, days);

        assertThat(period.period()).isEqualTo("2026-11");
        assertThat(period.from()).isEqualTo(NOV_1);
        assertThat(period.to()).isEqualTo(NOV_22);
        assertThat(period.complete()).isTrue();
        assertThat(period.currency()).isEqualTo("USD");
        assertThat(period.charges()).isEqualTo(5);
        assertThat(period.costMicros()).isEqualTo(518_504_784L);
        assertThat(period.cost()).isEqualTo("518.504784");
        assertThat(period.priceMicros()).isEqualTo(544_430_164L);
        assertThat(period.price()).isEqualTo("544.430164");
        assertThat(period.marginMicros()).isEqualTo(25_925_380L);
        assertThat(period.margin()).isEqualTo("25.925380");
    }

    @Test
    void shouldShowANegativeMarginForASubAccountThatIsNotRebilled() {
        PeriodTotals period = PeriodTotals.of("acme-gym", NOV_1, NOV_22,
                List.of(totals("acme-gym", UsageType.VOICE, "USD", 4, 353_027_116L, 0)));

        assertThat(period.price()).isEqualTo("0.000000");
        assertThat(period.margin()).isEqualTo("-353.027116");
    }

    @Test
    void shouldCountReversalsAsTheDailyTotalsAlreadyNetThem() {
        PeriodTotals period = PeriodTotals.of("acme-dental", NOV_1, NOV_22, List.of(
                totals("acme-dental", UsageType.VOICE, "USD", 1, 70_000, 73_500),
                totals("acme-dental", UsageType.VOICE_AI, "USD", -1, -30_000, -31_500)));

        assertThat(period.charges()).isZero();
        assertThat(period.cost()).isEqualTo("0.040000");
        assertThat(period.price()).isEqualTo("0.042000");
        assertThat(period.margin()).isEqualTo("0.002000");
    }

    @Test
    void shouldAnswerZeroAndNoCurrencyWhenTheSubAccountHasNoUsage() {
        PeriodTotals period = PeriodTotals.of("acme-spa", NOV_1, NOV_22,
                List.of(totals("acme-dental", UsageType.VOICE, "USD", 1, 70_000, 73_500)));

        assertThat(period.currency()).isNull();
        assertThat(period.charges()).isZero();
        assertThat(period.cost()).isEqualTo("0.000000");
        assertThat(period.price()).isEqualTo("0.000000");
        assertThat(period.margin()).isEqualTo("0.000000");
    }

    @Test
    void shouldRefuseTotalsInTwoCurrenciesRatherThanAddThem() {
        List<UsageTotals> days = List.of(totals("acme-dental", UsageType.VOICE, "USD", 1, 70_000, 73_500),
                totals("acme-dental", UsageType.SMS, "EUR", 1, 10_000, 10_500));

        assertThatThrownBy(() -> PeriodTotals.of("acme-dental", NOV_1, NOV_22, days))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("USD").hasMessageContaining("EUR");
    }

    @Test
    void shouldStartThePeriodOnTheFirstOfTheMonthWhenTheAggregateStillKeepsIt() {
        Instant now = Instant.parse("2026-11-05T09:30:00Z");

        assertThat(PeriodTotals.firstDay(now, Duration.ofDays(8))).isEqualTo(NOV_1);
    }

    @Test
    void shouldStartThePeriodOnTheOldestDayKeptInFullWhenTheMonthBeganEarlier() {
        Instant now = Instant.parse("2026-11-22T09:30:00Z");

        // Kept from 2026-11-14T09:30Z: the 14th is partly dropped, the 15th is whole.
        LocalDate from = PeriodTotals.firstDay(now, Duration.ofDays(8));
        PeriodTotals period = PeriodTotals.of("acme-dental", from, NOV_22, List.of());

        assertThat(from).isEqualTo(LocalDate.of(2026, 11, 15));
        assertThat(period.complete()).isFalse();
        assertThat(period.period()).isEqualTo("2026-11");
    }

    @Test
    void shouldKeepADayThatStartsExactlyAtTheRetentionEdge() {
        Instant now = Instant.parse("2026-11-22T00:00:00Z");

        assertThat(PeriodTotals.firstDay(now, Duration.ofDays(8))).isEqualTo(LocalDate.of(2026, 11, 14));
    }

    private static UsageTotals totals(String subAccountId, UsageType type, String currency, long charges, long cost,
                                      long price) {
        return new UsageTotals(subAccountId, type, type == UsageType.SMS ? QuantityUnit.SEGMENT : QuantityUnit.SECOND,
                currency, charges * 60, charges, cost, price);
    }
}
