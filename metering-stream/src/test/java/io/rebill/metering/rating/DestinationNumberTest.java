package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationNumberTest {

    @Test
    void shouldReturnE164DigitsWithoutPlusWhenNumberIsE164() {
        assertThat(DestinationNumber.parse("+18765550123").e164Digits()).isEqualTo("18765550123");
        assertThat(DestinationNumber.parse("+442079460958").e164Digits()).isEqualTo("442079460958");
    }

    @Test
    void shouldNormaliseFormattingWhenCarrierSendsSpacesAndPunctuation() {
        assertThat(DestinationNumber.parse(" +1 (876) 555-0123 ").e164Digits()).isEqualTo("18765550123");
    }

    @Test
    void shouldKeepItalianLeadingZeroWhenNationalNumberHasOne() {
        assertThat(DestinationNumber.parse("+390612345678").e164Digits()).isEqualTo("390612345678");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "   ", "18765550123", "08765550123", "+", "+1", "not a number", "+999123456789",
            "+1876555012345678", "+4420"})
    void shouldRejectAsInvalidNumberWhenNumberIsNotAPossibleInternationalNumber(String number) {
        assertThatThrownBy(() -> DestinationNumber.parse(number))
                .isInstanceOfSatisfying(UnratableUsageException.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_NUMBER);
                    assertThat(e.getMessage()).contains("'" + number + "'");
                });
    }

    @Test
    void shouldRejectAsInvalidNumberWhenNumberIsNull() {
        assertThatThrownBy(() -> DestinationNumber.parse(null))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_NUMBER));
    }
}
