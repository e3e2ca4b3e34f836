package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.usage.TextEncoding;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The packing rules of {@link SmsSegments} over generated bodies. Septets are counted here from the
 * test's own copy of the GSM-7 tables ({@link SmsSegmentsTest#GSM7_BASIC}), not the class's.
 */
class SmsSegmentsPropertyTest {

    // ---- generators -------------------------------------------------------------------------

    /** Bodies that exercise every rule: GSM-7 with escapes, GSM-7 tipped into UCS-2, UCS-2 with emoji. */
    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                text(Arbitraries.frequencyOf(Tuple.of(6, gsmBasic()), Tuple.of(1, gsmExtension())), 480),
                text(Arbitraries.frequencyOf(Tuple.of(40, gsmBasic()), Tuple.of(6, gsmExtension()),
                        Tuple.of(1, latin1()), Tuple.of(1, cjk()), Tuple.of(1, emoji())), 400),
                text(Arbitraries.frequencyOf(Tuple.of(3, gsmBasic()), Tuple.of(1, gsmExtension()),
                        Tuple.of(2, latin1()), Tuple.of(3, cjk()), Tuple.of(3, emoji())), 240));
    }

    @Provide
    Arbitrary<String> gsmBasicBodies() {
        return text(gsmBasic(), 500);
    }

    /**
     * Any UTF-16 char values, lone surrogates included (what a broken sender could put on the wire),
     * and UCS-2 text where lone surrogates sit among real pairs, so pairs meet part boundaries.
     */
    @Provide
    Arbitrary<String> anyChars() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300).withLengthDistribution(RandomDistribution.uniform()),
                text(Arbitraries.frequencyOf(Tuple.of(3, cjk()), Tuple.of(3, emoji()),
                        Tuple.of(1, Arbitraries.integers().between(Character.MIN_SURROGATE, Character.MAX_SURROGATE))),
                        240));
    }

    @Provide
    Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(Tuple.of(4, gsmBasic()), Tuple.of(2, gsmExtension()), Tuple.of(1, latin1()),
                Tuple.of(1, cjk()), Tuple.of(1, emoji()));
    }

    private static Arbitrary<String> text(Arbitrary<Integer> codePoints, int maxCodePoints) {
        return codePoints.list().ofMaxSize(maxCodePoints).withSizeDistribution(RandomDistribution.uniform())
                .map(SmsSegmentsPropertyTest::fromCodePoints);
    }

    private static Arbitrary<Integer> gsmBasic() {
        return Arbitraries.of(SmsSegmentsTest.GSM7_BASIC.chars().boxed().toList());
    }

    private static Arbitrary<Integer> gsmExtension() {
        return Arbitraries.of(SmsSegmentsTest.GSM7_EXTENSION.chars().boxed().toList());
    }

    /** Latin-1 supplement: some of it is GSM-7 (£, ¥, Ä, é), most is not (ç, á, ©). */
    private static Arbitrary<Integer> latin1() {
        return Arbitraries.integers().between(0xA0, 0xFF);
    }

    private static Arbitrary<Integer> cjk() {
        return Arbitraries.integers().between(0x4E00, 0x9FFF);
    }

    /** Outside the BMP: two UTF-16 code units, a surrogate pair. */
    private static Arbitrary<Integer> emoji() {
        return Arbitraries.integers().between(0x1F300, 0x1FAFF);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }

    // ---- independent measures ---------------------------------------------------------------

    private static boolean isGsm7(String text) {
        return text.chars().allMatch(c -> SmsSegmentsTest.GSM7_BASIC.indexOf(c) >= 0
                || SmsSegmentsTest.GSM7_EXTENSION.indexOf(c) >= 0);
    }

    private static int septets(String gsmText) {
        return gsmText.chars().map(c -> SmsSegmentsTest.GSM7_EXTENSION.indexOf(c) >= 0 ? 2 : 1).sum();
    }

    private static int units(String text, TextEncoding encoding) {
        return encoding == TextEncoding.GSM7 ? septets(text) : text.length();
    }

    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    // ---- properties -------------------------------------------------------------------------

    @Property
    void shouldBillAtLeastOneSegmentWhenBodyIsAnything(@ForAll("bodies") String body) {
        assertThat(SmsSegments.count(body).segments()).isGreaterThanOrEqualTo(1);
    }

    @Property
    void shouldRejoinToTheBodyWhenPartsAreConcatenated(@ForAll("bodies") String body) {
        assertThat(String.join("", SmsSegments.split(body))).isEqualTo(body);
    }

    @Property
    void shouldSplitIntoAsManyPartsAsItCountsWhenBodyIsAnything(@ForAll("bodies") String body) {
        assertThat(SmsSegments.split(body)).hasSize(SmsSegments.count(body).segments());
    }

    @Property
    void shouldChooseEncodingAndUnitsAsTheGsm7TablesSayWhenCountingAnyBody(@ForAll("bodies") String body) {
        TextEncoding expected = isGsm7(body) ? TextEncoding.GSM7 : TextEncoding.UCS2;

        SmsSegments.SegmentCount count = SmsSegments.count(body);

        assertThat(count.encoding()).isEqualTo(expected);
        assertThat(count.units()).isEqualTo(units(body, expected));
    }

    @Property
    void shouldKeepEveryPartWithinItsEncodingsLimitWhenBodyIsSplit(@ForAll("bodies") String body) {
        SmsSegments.SegmentCount count = SmsSegments.count(body);
        List<String> parts = SmsSegments.split(body);
        boolean gsm7 = count.encoding() == TextEncoding.GSM7;
        int single = gsm7 ? 160 : 70;
        int part = gsm7 ? 153 : 67;

        if (parts.size() == 1) {
            assertThat(units(parts.get(0), count.encoding())).isLessThanOrEqualTo(single);
        } else {
            assertThat(count.units()).isGreaterThan(single);
            parts.forEach(p -> assertThat(units(p, count.encoding())).isBetween(1, part));
            // Greedy: a part closes early only for a pair that would not fit, so it holds at least part - 1.
            parts.subList(0, parts.size() - 1)
                    .forEach(p -> assertThat(units(p, count.encoding())).isGreaterThanOrEqualTo(part - 1));
        }

        Statistics.label("packing").collect(count.encoding(), parts.size() == 1 ? "single" : "concatenated",
                pairPushedToNextPart(parts, count.encoding()) ? "pair pushed over a boundary" : "");
        Statistics.label("packing").coverage(coverage -> {
            coverage.check(TextEncoding.GSM7, "concatenated", "pair pushed over a boundary").count(n -> n >= 5);
            coverage.check(TextEncoding.UCS2, "concatenated", "pair pushed over a boundary").count(n -> n >= 5);
            coverage.check(TextEncoding.GSM7, "single", "").count(n -> n >= 5);
            coverage.check(TextEncoding.UCS2, "single", "").count(n -> n >= 5);
        });
    }

    @Property
    void shouldNeverStartAPartWithALowSurrogateOrEndOneWithAHighSurrogateWhenBodyHasEmoji(
            @ForAll("bodies") String body) {
        for (String part : SmsSegments.split(body)) {
            if (!part.isEmpty()) {
                assertThat(Character.isLowSurrogate(part.charAt(0))).as("starts with a low surrogate").isFalse();
                assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1)))
                        .as("ends with a high surrogate").isFalse();
            }
        }
    }

    @Property
    void shouldNeverSplitASurrogatePairWhenBodyAlsoHasLoneSurrogates(@ForAll("anyChars") String body) {
        List<String> parts = SmsSegments.split(body);

        assertThat(String.join("", parts)).isEqualTo(body);
        assertThat(parts).hasSize(SmsSegments.count(body).segments());
        for (int i = 1; i < parts.size(); i++) {
            String before = parts.get(i - 1);
            boolean pairAcrossBoundary = Character.isHighSurrogate(before.charAt(before.length() - 1))
                    && Character.isLowSurrogate(parts.get(i).charAt(0));
            assertThat(pairAcrossBoundary).as("pair split between parts %d and %d", i - 1, i).isFalse();
        }
    }

    @Property
    void shouldBillOneSegmentUpTo160ThenOnePer153WhenBodyIsOnlyGsmBasicCharacters(
            @ForAll("gsmBasicBodies") String body) {
        int n = body.length();

        assertThat(SmsSegments.count(body).segments()).isEqualTo(n <= 160 ? 1 : ceilDiv(n, 153));
        assertThat(SmsSegments.countFromLength(TextEncoding.GSM7, n)).isEqualTo(SmsSegments.count(body));
    }

    @Property
    void shouldNeverBillFewerSegmentsWhenACharacterIsAppended(@ForAll("bodies") String body,
                                                             @ForAll("codePoints") int appended) {
        String longer = new StringBuilder(body).appendCodePoint(appended).toString();

        assertThat(SmsSegments.count(longer).segments()).isGreaterThanOrEqualTo(SmsSegments.count(body).segments());
    }

    @Property
    void shouldNeverCountMoreFromLengthThanFromBodyWhenBodyIsWithheld(@ForAll("bodies") String body) {
        SmsSegments.SegmentCount fromBody = SmsSegments.count(body);

        SmsSegments.SegmentCount fromLength = SmsSegments.countFromLength(fromBody.encoding(), fromBody.units());

        // Length alone assumes full parts; pairs pushed over a boundary can only add parts.
        assertThat(fromLength.segments()).isLessThanOrEqualTo(fromBody.segments());
        assertThat(fromLength.units()).isEqualTo(fromBody.units());
    }

    private static boolean pairPushedToNextPart(List<String> parts, TextEncoding encoding) {
        for (int i = 1; i < parts.size(); i++) {
            boolean pairStartsPart = encoding == TextEncoding.GSM7
                    ? SmsSegmentsTest.GSM7_EXTENSION.indexOf(parts.get(i).charAt(0)) >= 0
                    : Character.isHighSurrogate(parts.get(i).charAt(0));
            int limit = encoding == TextEncoding.GSM7 ? 153 : 67;
            if (pairStartsPart && units(parts.get(i - 1), encoding) == limit - 1) {
                return true;
            }
        }
        return false;
    }
}
