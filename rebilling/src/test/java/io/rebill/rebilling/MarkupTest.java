package io.rebill.rebilling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkupTest {

    @ParameterizedTest(name = "{0} micros at {1} bp = {2} micros")
    @CsvSource({
            // cost, multiplier basis points, price
            "1000000,  10000, 1000000",  // 1.00x
            "1000000,  10500, 1050000",  // 1.05x
            "10,       10500,      11",  // 10.5 -> 11: half rounds up
            "30,       10500,      32",  // 31.5 -> 32
            "9,        10500,       9",  // 9.45 -> 9
            "1,        15000,       2",  // 1.5 -> 2
            "3,        15000,       5",  // 4.5 -> 5
            "1,        14999,       1",  // 1.4999 -> 1
            "7,        10000,       7",
            "0,        10500,       0",
            "123457,  100000, 1234570",  // 10.00x, the maximum
            "10650,    10500,   11183",  // 11,182.5 -> 11,183
    })
    void shouldRoundHalfUpToTheMicroWhenMarkedUpPriceIsFractional(long costMicros, int basisPoints,
                                                                 long priceMicros) {
        assertThat(Markup.priceMicros(costMicros, basisPoints)).isEqualTo(priceMicros);
    }

    @Test
    void shouldRejectSettingsWhenMultiplierIsBelowOneX() {
        assertThatThrownBy(() -> Markup.priceMicros(100, 9_999))
                .isInstanceOfSatisfying(RebillingException.class,
                        e -> assertThat(e.problem()).isEqualTo(RebillingException.Problem.INVALID_SETTINGS));
    }

    @Test
    void shouldRejectSettingsWhenMultiplierIsAboveTenX() {
        assertThatThrownBy(() -> Markup.priceMicros(100, 100_001))
                .isInstanceOfSatisfying(RebillingException.class,
                        e -> assertThat(e.problem()).isEqualTo(RebillingException.Problem.INVALID_SETTINGS));
    }

    @Test
    void shouldRejectAsOverflowWhenPriceDoesNotFitALong() {
        assertThatThrownBy(() -> Markup.priceMicros(Long.MAX_VALUE / 2, 10_500))
                .isInstanceOfSatisfying(RebillingException.class,
                        e -> assertThat(e.problem()).isEqualTo(RebillingException.Problem.AMOUNT_OVERFLOW));
    }
}
