package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.usage.TextEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmsSegmentsTest {

    /** 3GPP TS 23.038 default alphabet without the escape, copied from the spec rather than from the code. */
    static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    static final String GSM7_EXTENSION = "^{}\\[~]|€\f";
    private static final String CYRILLIC_ZHE = "ж";
    private static final String WAVING_HAND = "\uD83D\uDC4B";

    @Test
    void shouldCostOneSeptetForEachOfThe127BasicCharactersWhenMessageIsTheWholeBasicSet() {
        SmsSegments.SegmentCount count = SmsSegments.count(GSM7_BASIC);

        assertThat(GSM7_BASIC).hasSize(127);
        assertThat(count).isEqualTo(new SmsSegments.SegmentCount(TextEncoding.GSM7, 127, 1));
    }

    @Test
    void shouldCostTwoSeptetsForEachExtensionCharacterWhenMessageIsTheWholeExtensionTable() {
        assertThat(SmsSegments.count(GSM7_EXTENSION))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.GSM7, 20, 1));
    }

    @ParameterizedTest(name = "{0} GSM-7 characters: {1} segments")
    @CsvSource({"1, 1", "153, 1", "160, 1", "161, 2", "306, 2", "307, 3", "459, 3", "460, 4"})
    void shouldFitGsm7In160SeptetsThen153PerPartWhenMessageGrows(int length, int segments) {
        assertThat(SmsSegments.count("a".repeat(length)))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.GSM7, length, segments));
    }

    @Test
    void shouldNeedTwoSegmentsWhen159BasicCharactersAndOneEuroSignMake161Septets() {
        assertThat(SmsSegments.count("a".repeat(159) + "€"))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.GSM7, 161, 2));
    }

    @Test
    void shouldStayOneSegmentWhen158BasicCharactersAndOneEuroSignMake160Septets() {
        assertThat(SmsSegments.count("a".repeat(158) + "€"))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.GSM7, 160, 1));
    }

    @Test
    void shouldMoveAnEscapePairWholeToTheNextPartWhenItWouldStraddleSeptets153And154() {
        String body = "a".repeat(152) + "€" + "b".repeat(10);

        List<String> parts = SmsSegments.split(body);

        // 152 septets fit; the euro sign needs 2 more (153 and 154), so the first part stops at 152.
        assertThat(parts).containsExactly("a".repeat(152), "€" + "b".repeat(10));
        assertThat(SmsSegments.count(body)).isEqualTo(new SmsSegments.SegmentCount(TextEncoding.GSM7, 164, 2));
    }

    @Test
    void shouldKeepAnEscapePairInThePartWhenItEndsExactlyOnSeptet153() {
        String body = "a".repeat(151) + "€" + "b".repeat(10);

        assertThat(SmsSegments.split(body)).containsExactly("a".repeat(151) + "€", "b".repeat(10));
    }

    @Test
    void shouldNeedAThirdPartWhenAnEscapePairPushedOverTheBoundaryFillsTheSecond() {
        // 306 septets would be 2 parts by length, but the first part holds only 152 of them.
        String body = "a".repeat(152) + "€" + "b".repeat(152);

        assertThat(SmsSegments.split(body)).containsExactly("a".repeat(152), "€" + "b".repeat(151), "b");
        assertThat(SmsSegments.count(body).segments()).isEqualTo(3);
        assertThat(SmsSegments.countFromLength(TextEncoding.GSM7, 306).segments()).isEqualTo(2);
    }

    @Test
    void shouldSwitchToUcs2WhenBodyHasALowercaseCCedilla() {
        assertThat(SmsSegments.count("Ça va, garçon?"))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.UCS2, 14, 1));
        assertThat(SmsSegments.count("Ça va, garÇon?").encoding()).isEqualTo(TextEncoding.GSM7);
    }

    @ParameterizedTest(name = "character {index}")
    @ValueSource(strings = {"`", "\u001B", "\t", "ç", "á", "ж", "中", "\uD83D\uDE00"})
    void shouldSwitchToUcs2WhenBodyHasACharacterOutsideBothGsm7Tables(String character) {
        assertThat(SmsSegments.count("Hello " + character).encoding()).isEqualTo(TextEncoding.UCS2);
    }

    @Test
    void shouldCountEveryCharacterAsOneCodeUnitWhenUcs2ReplacesGsm7() {
        // '€' would be 2 septets in GSM-7; in UCS-2 it is 1 code unit like any BMP character.
        assertThat(SmsSegments.count("€€€ ç").units()).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0} UCS-2 code units: {1} segments")
    @CsvSource({"1, 1", "67, 1", "70, 1", "71, 2", "134, 2", "135, 3", "201, 3", "202, 4"})
    void shouldFitUcs2In70CodeUnitsThen67PerPartWhenMessageGrows(int length, int segments) {
        assertThat(SmsSegments.count(CYRILLIC_ZHE.repeat(length)))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.UCS2, length, segments));
    }

    @Test
    void shouldCountAnEmojiAsTwoCodeUnitsWhenItIsOutsideTheBmp() {
        assertThat(SmsSegments.count(WAVING_HAND.repeat(35)))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.UCS2, 70, 1));
        assertThat(SmsSegments.count(WAVING_HAND.repeat(36)))
                .isEqualTo(new SmsSegments.SegmentCount(TextEncoding.UCS2, 72, 2));
    }

    @Test
    void shouldMoveAnEmojiWholeToTheNextPartWhenItWouldStraddleCodeUnits67And68() {
        String body = CYRILLIC_ZHE.repeat(66) + WAVING_HAND + CYRILLIC_ZHE.repeat(10);

        List<String> parts = SmsSegments.split(body);

        // 66 units fit; the emoji's surrogate pair needs units 67 and 68, so the first part stops at 66.
        assertThat(parts).containsExactly(CYRILLIC_ZHE.repeat(66), WAVING_HAND + CYRILLIC_ZHE.repeat(10));
        assertThat(SmsSegments.count(body)).isEqualTo(new SmsSegments.SegmentCount(TextEncoding.UCS2, 78, 2));
    }

    @Test
    void shouldKeepAnEmojiInThePartWhenItEndsExactlyOnCodeUnit67() {
        String body = CYRILLIC_ZHE.repeat(65) + WAVING_HAND + CYRILLIC_ZHE.repeat(10);

        assertThat(SmsSegments.split(body))
                .containsExactly(CYRILLIC_ZHE.repeat(65) + WAVING_HAND, CYRILLIC_ZHE.repeat(10));
    }

    @Test
    void shouldBillOneSegmentWhenBodyIsEmpty() {
        assertThat(SmsSegments.count("")).isEqualTo(new SmsSegments.SegmentCount(TextEncoding.GSM7, 0, 1));
        assertThat(SmsSegments.split("")).containsExactly("");
    }

    @Test
    void shouldReturnTheWholeBodyAsOnePartWhenItFitsOneSegment() {
        assertThat(SmsSegments.split("Your code is 123456")).containsExactly("Your code is 123456");
    }

    @ParameterizedTest(name = "{0} {1}: {2} segments")
    @CsvSource({
            "GSM7,   0, 1",
            "GSM7, 160, 1",
            "GSM7, 161, 2",
            "GSM7, 306, 2",
            "GSM7, 307, 3",
            "UCS2,   0, 1",
            "UCS2,  70, 1",
            "UCS2,  71, 2",
            "UCS2, 134, 2",
            "UCS2, 135, 3",
    })
    void shouldCountSegmentsFromLengthWhenBodyIsWithheld(TextEncoding encoding, int length, int segments) {
        assertThat(SmsSegments.countFromLength(encoding, length))
                .isEqualTo(new SmsSegments.SegmentCount(encoding, length, segments));
    }

    @Test
    void shouldCountWithoutOverflowWhenLengthIsIntMax() {
        // ceil(2,147,483,647 / 153) = 14,035,841 (153 * 14,035,840 = 2,147,483,520; 127 left over).
        assertThat(SmsSegments.countFromLength(TextEncoding.GSM7, Integer.MAX_VALUE).segments())
                .isEqualTo(14_035_841);
    }

    @Test
    void shouldRejectAsInvalidMessageWhenLengthIsNegative() {
        assertThatThrownBy(() -> SmsSegments.countFromLength(TextEncoding.GSM7, -1))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE))
                .hasMessageContaining("negative");
    }

    @Test
    void shouldRejectAsInvalidMessageWhenLengthHasNoKnownEncoding() {
        assertThatThrownBy(() -> SmsSegments.countFromLength(TextEncoding.UNKNOWN, 10))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE));
        assertThatThrownBy(() -> SmsSegments.countFromLength(null, 10))
                .isInstanceOfSatisfying(UnratableUsageException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE));
    }
}
