package io.rebill.metering.rating;

import static io.rebill.metering.rating.InMemoryRateCard.rate;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateCardTest {

    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant JUL = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-15T12:00:00Z");

    private final InMemoryRateCard card = new InMemoryRateCard()
            .put(UsageType.VOICE, Direction.OUTBOUND, "", JAN, rate("world", 500_000))
            .put(UsageType.VOICE, Direction.OUTBOUND, "1", JAN, rate("nanp", 10_000))
            .put(UsageType.VOICE, Direction.OUTBOUND, "1876", JAN, rate("jamaica", 150_000))
            .put(UsageType.VOICE, Direction.OUTBOUND, "1876", JUL, rate("jamaica-july", 120_000))
            .put(UsageType.VOICE, Direction.OUTBOUND, "44", JUL, rate("uk-july", 20_000))
            .put(UsageType.VOICE, Direction.INBOUND, "1", JAN, rate("nanp-inbound", 5_000));

    @Test
    void shouldPickLongestPrefixWhenSeveralPrefixesMatch() {
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "18765550123", MARCH))
                .hasValueSatisfying(r -> assertThat(r.rateId()).isEqualTo("jamaica"));
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "12125550123", MARCH))
                .hasValueSatisfying(r -> assertThat(r.rateId()).isEqualTo("nanp"));
    }

    @Test
    void shouldFallBackToEmptyPrefixWhenNoLongerPrefixMatches() {
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "4915123456789", MARCH))
                .hasValueSatisfying(r -> assertThat(r.rateId()).isEqualTo("world"));
    }

    @Test
    void shouldPickEntryInForceAtCallStartWhenPrefixHasSeveralVersions() {
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "18765550123", JUL.minusMillis(1)))
                .hasValueSatisfying(r -> assertThat(r.rateId()).isEqualTo("jamaica"));
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "18765550123", JUL))
                .hasValueSatisfying(r -> assertThat(r.rateId()).isEqualTo("jamaica-july"));
    }

    @Test
    void shouldUseShorterPrefixWhenLongerOneIsNotYetInForce() {
        // "44" only starts in July; in March a UK call falls back to the catch-all entry.
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "442079460958", MARCH))
                .hasValueSatisfying(r -> assertThat(r.rateId()).isEqualTo("world"));
    }

    @Test
    void shouldMatchOnlyTheCallsDirectionAndUsageTypeWhenLookingUp() {
        assertThat(card.find(UsageType.VOICE, Direction.INBOUND, "18765550123", MARCH))
                .hasValueSatisfying(r -> assertThat(r.rateId()).isEqualTo("nanp-inbound"));
        assertThat(card.find(UsageType.VOICE_AI, Direction.OUTBOUND, "18765550123", MARCH)).isEmpty();
    }

    @Test
    void shouldFindNothingWhenCallPrecedesEveryEntry() {
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "18765550123", JAN.minusMillis(1))).isEmpty();
        assertThat(card.find(UsageType.VOICE, Direction.OUTBOUND, "18765550123", Instant.EPOCH.minusMillis(1)))
                .isEmpty();
    }
}
