package io.rebill.billing.payment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinorUnitsTest {

    @Test
    void roundsAFractionOfACentUp() {
        assertThat(MinorUnits.chargeableMinor(12_345_678L, "USD")).isEqualTo(1235);
    }

    @Test
    void chargesTheSmallestUnitForTheSmallestAmount() {
        assertThat(MinorUnits.chargeableMinor(1L, "USD")).isEqualTo(1);
        assertThat(MinorUnits.chargeableMinor(1L, "JPY")).isEqualTo(1);
        assertThat(MinorUnits.chargeableMinor(1L, "KWD")).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0} micros {1} -> {2}")
    @CsvSource({
            "12340000, USD, 1234",
            "1000000, EUR, 100",
            "20000000, GBP, 2000",
            "1000000000, JPY, 1000",
            "5000000, KRW, 5",
            "1230000, KWD, 1230",
            "7000000, BHD, 7000"
    })
    void leavesAnExactAmountUnchanged(long micros, String currency, long expectedMinor) {
        assertThat(MinorUnits.chargeableMinor(micros, currency)).isEqualTo(expectedMinor);
    }

    @Test
    void roundsAFractionOfAYenUp() {
        assertThat(MinorUnits.chargeableMinor(1_000_400_000L, "JPY")).isEqualTo(1001);
    }

    @Test
    void chargesThreeDecimalCurrenciesInMultiplesOfTen() {
        // 1.2345 KWD = 1234.5 fils; Stripe wants the last digit to be 0, so 1240.
        assertThat(MinorUnits.chargeableMinor(1_234_500L, "KWD")).isEqualTo(1240);
        assertThat(MinorUnits.chargeableMinor(1_230_001L, "KWD")).isEqualTo(1240);
        assertThat(MinorUnits.chargeableMinor(1_230_000L, "OMR")).isEqualTo(1230);
        assertThat(MinorUnits.chargeableMinor(1_234_500L, "TND") % 10).isZero();
    }

    @Test
    void chargesIcelandicKronaInWholeKronurThoughStripeCountsTwoDecimals() {
        assertThat(MinorUnits.chargeableMinor(500_500_000L, "ISK")).isEqualTo(50_100);
        assertThat(MinorUnits.chargeableMinor(500_000_000L, "ISK")).isEqualTo(50_000);
        assertThat(MinorUnits.toMicros(50_100, "ISK")).isEqualTo(501_000_000L);
    }

    @Test
    void neverChargesLessThanRequested() {
        for (String currency : new String[] {"USD", "JPY", "KWD", "CLP", "JOD"}) {
            for (long micros = 1; micros < 3_000_000L; micros += 9_973) {
                long minor = MinorUnits.chargeableMinor(micros, currency);
                assertThat(MinorUnits.toMicros(minor, currency))
                        .as("%d micros %s charged as %d", micros, currency, minor)
                        .isGreaterThanOrEqualTo(micros);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void refusesAmountsThatAreNotPositive(long micros) {
        assertThatThrownBy(() -> MinorUnits.chargeableMinor(micros, "USD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("> 0");
    }

    @Test
    void convertsMinorUnitsBackExactly() {
        assertThat(MinorUnits.toMicros(1235, "USD")).isEqualTo(12_350_000L);
        assertThat(MinorUnits.toMicros(1001, "JPY")).isEqualTo(1_001_000_000L);
        assertThat(MinorUnits.toMicros(1240, "KWD")).isEqualTo(1_240_000L);
        assertThat(MinorUnits.toMicros(0, "USD")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "JPY", "KWD", "EUR", "XOF"})
    void roundTripsWholeMinorAmounts(String currency) {
        for (long minor : new long[] {10, 990, 123_450, 9_999_999_990L}) {
            assertThat(MinorUnits.chargeableMinor(MinorUnits.toMicros(minor, currency), currency))
                    .isEqualTo(minor);
        }
    }

    @Test
    void chargesTheLargestWalletAmountWithoutOverflow() {
        assertThat(MinorUnits.chargeableMinor(Long.MAX_VALUE, "USD"))
                .isEqualTo(Long.MAX_VALUE / 10_000 + 1);
        assertThat(MinorUnits.chargeableMinor(Long.MAX_VALUE, "KWD") % 10).isZero();
    }

    @Test
    void refusesToConvertBackAnAmountThatDoesNotFit() {
        assertThatThrownBy(() -> MinorUnits.toMicros(Long.MAX_VALUE / 100, "USD"))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> MinorUnits.toMicros(Long.MIN_VALUE / 100, "JPY"))
                .isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest(name = "{0} has {1} decimals")
    @CsvSource({"USD, 2", "EUR, 2", "JPY, 0", "KRW, 0", "VND, 0", "XPF, 0", "KWD, 3", "BHD, 3", "JOD, 3",
            "OMR, 3", "TND, 3", "ISK, 2", "CHF, 2"})
    void knowsStripesDecimals(String currency, int exponent) {
        assertThat(MinorUnits.exponent(currency)).isEqualTo(exponent);
    }

    @Test
    void acceptsStripesLowerCaseCodes() {
        assertThat(MinorUnits.currencyCode("usd")).isEqualTo("USD");
        assertThat(MinorUnits.exponent("jpy")).isZero();
        assertThat(MinorUnits.chargeableMinor(12_345_678L, "usd")).isEqualTo(1235);
        assertThat(MinorUnits.toMicros(1240, "kwd")).isEqualTo(1_240_000L);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"US", "USDX", "U$D", "12A", " USD", "ÜSD"})
    void refusesWhatIsNotAThreeLetterCode(String code) {
        assertThatThrownBy(() -> MinorUnits.exponent(code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("three-letter ISO 4217 code");
    }

    @Test
    void refusesUnknownCurrencies() {
        assertThatThrownBy(() -> MinorUnits.chargeableMinor(1_000_000L, "ABC"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown ISO 4217 currency code \"ABC\"");
    }

    @Test
    void refusesCodesThatAreNotMoney() {
        assertThatThrownBy(() -> MinorUnits.exponent("XAU"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a money currency");
    }
}
