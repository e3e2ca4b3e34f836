package io.rebill.rebilling;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.common.UsageType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The rounding rule of {@link Markup} over the whole range an agency can set: costs up to 1,000,000
 * currency units (10^12 micros) and multipliers 1x..10x. Exact decimals are the independent check.
 */
class MarkupPropertyTest {

    private static final long MAX_COST = 1_000_000_000_000L;

    /** The price as an exact decimal, before any rounding. */
    private static BigDecimal exactPrice(long costMicros, int basisPoints) {
        return BigDecimal.valueOf(costMicros).multiply(BigDecimal.valueOf(basisPoints))
                .divide(BigDecimal.valueOf(Markup.ONE_X_BASIS_POINTS));
    }

    @Property
    void shouldNeverPriceBelowCostWhenMultiplierIsAtLeastOneX(
            @ForAll @LongRange(min = 0, max = MAX_COST) long cost,
            @ForAll @IntRange(min = 10_000, max = 100_000) int basisPoints) {
        assertThat(Markup.priceMicros(cost, basisPoints)).isGreaterThanOrEqualTo(cost);
    }

    @Property
    void shouldPriceExactlyAtCostWhenMultiplierIsOneX(@ForAll @LongRange(min = 0, max = MAX_COST) long cost) {
        assertThat(Markup.priceMicros(cost, Markup.ONE_X_BASIS_POINTS)).isEqualTo(cost);
    }

    @Property
    void shouldNeverLowerThePriceWhenTheMultiplierRises(
            @ForAll @LongRange(min = 0, max = MAX_COST) long cost,
            @ForAll @IntRange(min = 10_000, max = 100_000) int a,
            @ForAll @IntRange(min = 10_000, max = 100_000) int b) {
        int lower = Math.min(a, b);
        int higher = Math.max(a, b);

        assertThat(Markup.priceMicros(cost, lower)).isLessThanOrEqualTo(Markup.priceMicros(cost, higher));
    }

    @Property
    void shouldNeverLowerThePriceWhenTheCostRises(
            @ForAll @LongRange(min = 0, max = MAX_COST) long a,
            @ForAll @LongRange(min = 0, max = MAX_COST) long b,
            @ForAll @IntRange(min = 10_000, max = 100_000) int basisPoints) {
        long lower = Math.min(a, b);
        long higher = Math.max(a, b);

        assertThat(Markup.priceMicros(lower, basisPoints)).isLessThanOrEqualTo(Markup.priceMicros(higher, basisPoints));
    }

    @Property
    void shouldStayWithinHalfAMicroOfTheExactPriceWhenRounding(
            @ForAll @LongRange(min = 0, max = MAX_COST) long cost,
            @ForAll @IntRange(min = 10_000, max = 100_000) int basisPoints) {
        BigDecimal error = BigDecimal.valueOf(Markup.priceMicros(cost, basisPoints))
                .subtract(exactPrice(cost, basisPoints)).abs();

        assertThat(error).isLessThanOrEqualTo(new BigDecimal("0.5"));
    }

    @Property
    void shouldRoundHalfUpLikeBigDecimalWhenThePriceHasAFraction(
            @ForAll @LongRange(min = 0, max = MAX_COST) long cost,
            @ForAll @IntRange(min = 10_000, max = 100_000) int basisPoints) {
        long expected = exactPrice(cost, basisPoints).setScale(0, RoundingMode.HALF_UP).longValueExact();

        assertThat(Markup.priceMicros(cost, basisPoints)).isEqualTo(expected);
    }
}
