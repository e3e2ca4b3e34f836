package io.rebill.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MicrosTest {

    @Test
    void shouldConvertDecimalsExactly() {
        assertThat(Micros.parse("12.50")).isEqualTo(12_500_000L);
        assertThat(Micros.parse("0.000001")).isEqualTo(1L);
        assertThat(Micros.parse("-0.013")).isEqualTo(-13_000L);
        assertThat(Micros.fromDecimal(new BigDecimal("1E+2"))).isEqualTo(100_000_000L);
    }

    @Test
    void shouldRefuseToRoundAwaySubMicroAmounts() {
        assertThatThrownBy(() -> Micros.parse("0.0000001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 6 decimals");
    }

    @Test
    void shouldRefuseAmountsBeyondLongRange() {
        assertThatThrownBy(() -> Micros.parse("10000000000000"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFormatWithAllSixDecimals() {
        assertThat(Micros.format(-13_000L)).isEqualTo("-0.013000");
        assertThat(Micros.format(12_500_000L)).isEqualTo("12.500000");
    }

    @Test
    void shouldValidateCurrencyCodes() {
        assertThat(Micros.currency("USD")).isEqualTo("USD");
        assertThatThrownBy(() -> Micros.currency("XXY")).hasMessageContaining("not an ISO 4217");
    }
}
