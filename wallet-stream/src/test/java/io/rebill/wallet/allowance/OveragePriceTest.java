package io.rebill.wallet.allowance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one rounding rule of the allowance: the wallet pays the uncovered share of a charge's price. */
class OveragePriceTest {

    @Test
    void shouldRoundUpWhenShareEndsInExactlyHalfAMicro() {
        // 1001 * 30 / 60 = 500.5
        assertThat(AllowanceBook.overagePriceMicros(1_001, 60, 30)).isEqualTo(501);
    }

    @Test
    void shouldRoundUpWhenSmallestShareIsHalfAMicro() {
        // 1 * 1 / 2 = 0.5
        assertThat(AllowanceBook.overagePriceMicros(1, 2, 1)).isEqualTo(1);
    }

    @Test
    void shouldRoundDownWhenShareIsBelowHalf() {
        // 1000 * 1 / 3 = 333.33
        assertThat(AllowanceBook.overagePriceMicros(1_000, 3, 1)).isEqualTo(333);
        assertThat(AllowanceBook.overagePriceMicros(1, 3, 1)).isZero();
    }

    @Test
    void shouldRoundUpWhenShareIsAboveHalf() {
        // 2000 * 1 / 3 = 666.67
        assertThat(AllowanceBook.overagePriceMicros(2_000, 3, 1)).isEqualTo(667);
    }

    @Test
    void shouldChargeExactShareWhenItHasNoFraction() {
        assertThat(AllowanceBook.overagePriceMicros(1_000, 60, 30)).isEqualTo(500);
    }

    @Test
    void shouldChargeNothingWhenOverageIsZero() {
        assertThat(AllowanceBook.overagePriceMicros(1_001, 60, 0)).isZero();
    }

    @Test
    void shouldChargeWholePriceWhenNothingIsCovered() {
        assertThat(AllowanceBook.overagePriceMicros(1_001, 60, 60)).isEqualTo(1_001);
    }

    @Test
    void shouldChargeWholePriceWhenChargeHasZeroSeconds() {
        assertThat(AllowanceBook.overagePriceMicros(1_001, 0, 0)).isEqualTo(1_001);
    }

    @Test
    void shouldCompareRemainderWithoutOverflowWhenBilledSecondsAreHuge() {
        // Twice these remainders would overflow a long.
        long billed = Long.MAX_VALUE - 1;
        assertThat(AllowanceBook.overagePriceMicros(1, billed, billed - 1)).isEqualTo(1);
        assertThat(AllowanceBook.overagePriceMicros(1, billed, billed / 2 - 1)).isZero();
    }

    @Test
    void shouldThrowArithmeticExceptionWhenPriceTimesOverageOverflows() {
        assertThatThrownBy(() -> AllowanceBook.overagePriceMicros(Long.MAX_VALUE / 2, 10, 5))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldRejectOverageWhenItExceedsBilledSeconds() {
        assertThatThrownBy(() -> AllowanceBook.overagePriceMicros(1_000, 60, 61))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..60");
    }

    @Test
    void shouldRejectNegativeInputsWhenPricingOverage() {
        assertThatThrownBy(() -> AllowanceBook.overagePriceMicros(-1, 60, 30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AllowanceBook.overagePriceMicros(1_000, -60, -30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AllowanceBook.overagePriceMicros(1_000, 60, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
