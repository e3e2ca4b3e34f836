package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RateCardEntry;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RateCardKeyTest {

    private static final Instant JAN_2026 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldJoinTypeDirectionPrefixAndPaddedValidFromWhenKeyingAnEntry() {
        assertThat(RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1876", JAN_2026))
                .isEqualTo("VOICE:OUTBOUND:1876:0000001767225600000");
    }

    @Test
    void shouldKeyAnEntryByItsOwnFieldsWhenGivenTheRecord() {
        RateCardEntry entry = RateCardEntry.newBuilder().setRateId("r-1").setUsageType(UsageType.VOICE_AI)
                .setDirection(Direction.INBOUND).setDestinationPrefix("44").setCurrency("USD")
                .setUnitPriceMicros(1).setValidFrom(JAN_2026).build();

        assertThat(RateCardKey.of(entry)).isEqualTo("VOICE_AI:INBOUND:44:0000001767225600000");
    }

    @Test
    void shouldKeyTheEmptyPrefixWhenEntryMatchesEveryDestination() {
        assertThat(RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "", Instant.EPOCH))
                .isEqualTo("VOICE:OUTBOUND::0000000000000000000");
    }

    @Test
    void shouldSortKeysInTimeOrderWhenValidFromHasFewerDigits() {
        String early = RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", Instant.ofEpochMilli(999));
        String late = RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", Instant.ofEpochMilli(1000));

        assertThat(early).isLessThan(late);
    }

    @Test
    void shouldKeepOtherPrefixesOutOfThePrefixRangeWhenTheyShareLeadingDigits() {
        String lower = RateCardKey.lowerBound(UsageType.VOICE, Direction.OUTBOUND, "1");
        String upper = RateCardKey.upperBound(UsageType.VOICE, Direction.OUTBOUND, "1", JAN_2026);
        TreeSet<String> keys = new TreeSet<>(List.of(
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "", Instant.EPOCH),
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", Instant.EPOCH),
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", JAN_2026),
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", JAN_2026.plusMillis(1)),
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "18", Instant.EPOCH),
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "10", Instant.EPOCH),
                RateCardKey.of(UsageType.VOICE, Direction.INBOUND, "1", Instant.EPOCH),
                RateCardKey.of(UsageType.VOICE_AI, Direction.OUTBOUND, "1", Instant.EPOCH)));

        assertThat(keys.subSet(lower, true, upper, true)).containsExactly(
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", Instant.EPOCH),
                RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", JAN_2026));
    }

    @Test
    void shouldRefuseToKeyWhenPrefixIsNotDigits() {
        assertThatThrownBy(() -> RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "+1", JAN_2026))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'+1'");
    }

    @Test
    void shouldRefuseToKeyWhenValidFromIsBeforeTheEpoch() {
        assertThatThrownBy(() -> RateCardKey.of(UsageType.VOICE, Direction.OUTBOUND, "1", Instant.ofEpochMilli(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSearchTheSameRangesAsTheBoundsOfEveryPrefixLongestFirst() {
        Instant at = Instant.parse("2026-03-15T12:00:00Z");

        List<RateCardKey.Range> ranges = RateCardKey.searchRanges(UsageType.VOICE, Direction.OUTBOUND, "1876", at);

        assertThat(ranges).containsExactly(
                range("1876", at), range("187", at), range("18", at), range("1", at), range("", at));
    }

    @Test
    void shouldZeroPadMillisToNineteenDigitsSoKeysSortByTime() {
        assertThat(RateCardKey.paddedMillis(0)).isEqualTo("0000000000000000000");
        assertThat(RateCardKey.paddedMillis(1_767_225_600_000L)).isEqualTo("0000001767225600000");
        assertThat(RateCardKey.paddedMillis(Long.MAX_VALUE)).isEqualTo(String.valueOf(Long.MAX_VALUE));
    }

    private static RateCardKey.Range range(String prefix, Instant at) {
        return new RateCardKey.Range(RateCardKey.lowerBound(UsageType.VOICE, Direction.OUTBOUND, prefix),
                RateCardKey.upperBound(UsageType.VOICE, Direction.OUTBOUND, prefix, at));
    }
}
