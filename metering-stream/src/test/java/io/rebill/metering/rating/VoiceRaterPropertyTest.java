package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The increment and rounding rules of {@link VoiceRater} over generated rate-card entries and calls
 * of up to about 115 days. Exact decimals are the independent check of the one rounding step.
 */
class VoiceRaterPropertyTest {

    private static final long MAX_SECONDS = 10_000_000;

    /** Entries as rate cards have them: increments 1..120 s, minimums up to 5 min, up to $100 a minute. */
    @Provide
    Arbitrary<VoiceRater> raters() {
        return Combinators.combine(
                Arbitraries.longs().between(0, 100_000_000),
                Arbitraries.integers().between(1, 120),
                Arbitraries.integers().between(1, 120),
                Arbitraries.integers().between(0, 300),
                Arbitraries.longs().between(0, 1_000_000)).as(VoiceRater::new);
    }

    @Property
    void shouldBillAtLeastTheCallsSecondsWhenTheCallHasAny(
            @ForAll("raters") VoiceRater rater, @ForAll @LongRange(min = 1, max = MAX_SECONDS) long seconds) {
        assertThat(rater.billedSeconds(seconds)).isGreaterThanOrEqualTo(seconds);
    }

    @Property
    void shouldOverBillByLessThanOneIncrementWhenRoundingUpToIncrements(
            @ForAll("raters") VoiceRater rater, @ForAll @LongRange(min = 1, max = MAX_SECONDS) long seconds) {
        long atLeast = Math.max(seconds, rater.minimumBillableSeconds());
        long increment = atLeast <= rater.firstIncrementSeconds()
                ? rater.firstIncrementSeconds()
                : rater.nextIncrementSeconds();

        long overBilled = rater.billedSeconds(seconds) - atLeast;

        assertThat(overBilled).isGreaterThanOrEqualTo(0).isLessThan(increment);
    }

    @Property
    void shouldNeverBillFewerSecondsWhenTheCallIsLonger(
            @ForAll("raters") VoiceRater rater,
            @ForAll @LongRange(min = 0, max = MAX_SECONDS) long a,
            @ForAll @LongRange(min = 0, max = MAX_SECONDS) long b) {
        long shorter = Math.min(a, b);
        long longer = Math.max(a, b);

        assertThat(rater.billedSeconds(shorter)).isLessThanOrEqualTo(rater.billedSeconds(longer));
    }

    @Property
    void shouldNeverCostLessWhenTheCallIsLonger(
            @ForAll("raters") VoiceRater rater,
            @ForAll @LongRange(min = 0, max = MAX_SECONDS) long a,
            @ForAll @LongRange(min = 0, max = MAX_SECONDS) long b) {
        long shorter = Math.min(a, b);
        long longer = Math.max(a, b);

        assertThat(rater.costMicros(rater.billedSeconds(shorter)))
                .isLessThanOrEqualTo(rater.costMicros(rater.billedSeconds(longer)));
    }

    @Property
    void shouldStayWithinHalfAMicroOfTheProratedPriceWhenRoundingTheCost(
            @ForAll("raters") VoiceRater rater, @ForAll @LongRange(min = 0, max = MAX_SECONDS) long seconds) {
        long billed = rater.billedSeconds(seconds);
        BigDecimal usage = BigDecimal.valueOf(rater.costMicros(billed) - rater.connectFeeMicros());
        BigDecimal prorated = BigDecimal.valueOf(billed).multiply(BigDecimal.valueOf(rater.unitPriceMicros()));

        // |usage - prorated / 60| <= 0.5, multiplied through by 60 so no division can round.
        assertThat(usage.multiply(BigDecimal.valueOf(60)).subtract(prorated).abs())
                .isLessThanOrEqualTo(BigDecimal.valueOf(30));
    }
}
