package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VoiceRaterTest {

    /** $0.01 a minute. */
    private static final long ONE_CENT_A_MINUTE = 10_000;

    private static VoiceRater increments(int first, int next) {
        return new VoiceRater(ONE_CENT_A_MINUTE, first, next, 0, 0);
    }

    @ParameterizedTest(name = "{0}/{1}: {2} s bills {3} s")
    @CsvSource({
            // first, next, billable, billed
            "60, 60,   0,    0",
            "60, 60,   1,   60",
            "60, 60,  60,   60",
            "60, 60,  61,  120",
            "60, 60, 119,  120",
            "60, 60, 121,  180",
            "30,  6,   1,   30",
            "30,  6,  30,   30",
            "30,  6,  31,   36",
            "30,  6,  36,   36",
            "30,  6,  37,   42",
            " 6,  6,   5,    6",
            " 6,  6,   6,    6",
            " 6,  6,   7,   12",
            " 1,  1,   1,    1",
            " 1,  1,  47,   47",
            " 1,  1, 3601, 3601",
    })
    void shouldBillFirstIncrementThenWholeNextIncrementsWhenCallHasSeconds(int first, int next, long billable,
                                                                          long billed) {
        assertThat(increments(first, next).billedSeconds(billable)).isEqualTo(billed);
    }

    @Test
    void shouldBillNothingWhenCallLastedZeroSecondsEvenWithAMinimum() {
        assertThat(new VoiceRater(ONE_CENT_A_MINUTE, 60, 60, 120, 0).billedSeconds(0)).isZero();
    }

    @Test
    void shouldApplyMinimumBeforeIncrementsWhenCallIsShorterThanTheMinimum() {
        // max(10, 45) = 45, then 30/6: 30 + ceil(15 / 6) * 6 = 48.
        VoiceRater rater = new VoiceRater(ONE_CENT_A_MINUTE, 30, 6, 45, 0);

        assertThat(rater.billedSeconds(10)).isEqualTo(48);
        assertThat(rater.billedSeconds(50)).isEqualTo(54);
    }

    @Test
    void shouldBillTenHourCallInWholeMinutesWhenIncrementsAre60By60() {
        VoiceRater rater = increments(60, 60);
        long tenHours = 10 * 3600;

        assertThat(rater.billedSeconds(tenHours)).isEqualTo(36_000);
        assertThat(rater.billedSeconds(tenHours + 1)).isEqualTo(36_060);
        // 36,000 s at 10,000 micros a minute = 600 minutes * 10,000 = 6,000,000 micros ($6.00).
        assertThat(rater.costMicros(36_000)).isEqualTo(6_000_000);
    }

    @Test
    void shouldBillPastIntRangeWithoutOverflowWhenCallIsNearIntMax() {
        VoiceRater rater = increments(60, 60);

        // ceil(2,147,483,647 / 60) = 35,791,395 minutes = 2,147,483,700 s, beyond Integer.MAX_VALUE.
        long billed = rater.billedSeconds(Integer.MAX_VALUE);

        assertThat(billed).isEqualTo(2_147_483_700L);
        // 35,791,395 minutes * 10,000 micros.
        assertThat(rater.costMicros(billed)).isEqualTo(357_913_950_000L);
    }

    @Test
    void shouldRejectAsOverflowWhenCostDoesNotFitALong() {
        VoiceRater rater = new VoiceRater(Long.MAX_VALUE / 100, 60, 60, 0, 0);

        assertThatThrownBy(() -> rater.costMicros(rater.billedSeconds(Integer.MAX_VALUE)))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.AMOUNT_OVERFLOW));
    }

    @Test
    void shouldRejectAsOverflowWhenConnectFeeTipsCostPastLongMax() {
        VoiceRater rater = new VoiceRater(60, 1, 1, 0, Long.MAX_VALUE);

        assertThatThrownBy(() -> rater.costMicros(1))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.AMOUNT_OVERFLOW));
    }

    @ParameterizedTest(name = "{0} s at {1} micros/min costs {2} micros")
    @CsvSource({
            // billed seconds, unit price per minute, expected cost
            "60, 10000, 10000",   // exactly one minute
            "30,     1,     1",   // 0.5 micro: half rounds up
            "30,     3,     2",   // 1.5 -> 2
            "6,      5,     1",   // 0.5 -> 1
            "6,      4,     0",   // 0.4 -> 0
            "90,     7,    11",   // 10.5 -> 11
            "18,    10,     3",   // exactly 3
            "1,     29,     0",   // 29/60 = 0.483 -> 0
            "1,     30,     1",   // 30/60 = 0.5 -> 1
            "1,     31,     1",   // 0.517 -> 1
            "47, 13000, 10183",   // 611,000 / 60 = 10,183.33 -> 10,183
    })
    void shouldRoundHalfUpToTheMicroWhenPricePerSecondIsFractional(long billedSeconds, long unitPriceMicros,
                                                                  long expectedCostMicros) {
        assertThat(new VoiceRater(unitPriceMicros, 1, 1, 0, 0).costMicros(billedSeconds))
                .isEqualTo(expectedCostMicros);
    }

    @Test
    void shouldAddConnectFeeAfterRoundingWhenRateHasOne() {
        // 30 s at 1 micro/min = 0.5 -> 1, plus 2,500 connect fee.
        assertThat(new VoiceRater(1, 1, 1, 0, 2_500).costMicros(30)).isEqualTo(2_501);
    }

    @Test
    void shouldChargeOnlyConnectFeeWhenNothingIsBilled() {
        assertThat(new VoiceRater(ONE_CENT_A_MINUTE, 60, 60, 0, 2_500).costMicros(0)).isEqualTo(2_500);
        assertThat(increments(60, 60).costMicros(0)).isZero();
    }

    @Test
    void shouldRejectRateWhenAnIncrementIsZero() {
        assertThatThrownBy(() -> increments(0, 60))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_RATE));
        assertThatThrownBy(() -> increments(60, 0))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_RATE));
    }

    @Test
    void shouldRejectRateWhenAPriceOrTheMinimumIsNegative() {
        assertThatThrownBy(() -> new VoiceRater(-1, 60, 60, 0, 0))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_RATE));
        assertThatThrownBy(() -> new VoiceRater(1, 60, 60, 0, -1))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_RATE));
        assertThatThrownBy(() -> new VoiceRater(1, 60, 60, -1, 0))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_RATE));
    }

    @Test
    void shouldRefuseNegativeSecondsWhenAskedToBillThem() {
        assertThatThrownBy(() -> increments(60, 60).billedSeconds(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
