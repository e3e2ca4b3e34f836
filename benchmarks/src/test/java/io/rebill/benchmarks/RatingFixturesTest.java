package io.rebill.benchmarks;

import io.rebill.rebilling.RebillingSettingsLookup;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.metering.rating.CallFacts;
import io.rebill.metering.rating.CdrRating;
import io.rebill.metering.rating.MessageFacts;
import io.rebill.metering.rating.MessageRating;
import io.rebill.metering.rating.RatedUsage;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.metering.rating.SmsSegments;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmarks are only worth their figures if they time real charges: every fixture must be
 * rated (a rejection or "not billable" takes a much shorter path), and the inputs must be varied.
 */
class RatingFixturesTest {

    private final TreeMapRateCard rateCard = RatingFixtures.rateCard();
    private final RebillingSettingsLookup settings = RatingFixtures.lookup(RatingFixtures.rebillingSettings());

    @Test
    void shouldHoldAboutTwoHundredFiftyVoicePrefixesWhenBuildingTheRateCard() {
        assertThat(RatingFixtures.voiceOutboundPrefixes())
                .hasSizeBetween(230, 280)
                .contains("1", "1876", "44", "447", "52", "33", "336");
        assertThat(rateCard.size()).isGreaterThan(RatingFixtures.voiceOutboundPrefixes().size());
    }

    @Test
    void shouldRateEveryBenchmarkCdrWhenTheReferenceDataIsTheFixtures() {
        CdrRating rating = new CdrRating(rateCard, settings);

        List<RatedUsage> charges = Arrays.stream(RatingFixtures.calls()).map(call -> rated(rating.rate(call), call))
                .toList();

        assertThat(charges).hasSize(RatingFixtures.INPUTS);
        Set<String> rates = charges.stream().map(c -> c.rateId() + ":v" + c.rateVersion()).collect(Collectors.toSet());
        assertThat(rates).hasSizeGreaterThan(100)
                .contains("voice-out-1:v1", "voice-out-1:v2", "voice-out-1876:v1", "voice-out-447:v2",
                        "voice-in-1:v1", "voice-in-1800:v1", "voice-ai-outbound-any:v1");
        assertThat(charges).extracting(RatedUsage::rebilled).contains(true, false);
        assertThat(charges).extracting(RatedUsage::multiplierBasisPoints).contains(10_000, 10_500, 25_000);
        assertThat(charges).allSatisfy(charge -> assertThat(charge.costMicros()).isPositive());
    }

    @ParameterizedTest
    @EnumSource(SmsBody.class)
    void shouldRateEveryBenchmarkSmsInTheNamedSegmentsWhenTheReferenceDataIsTheFixtures(SmsBody body) {
        MessageRating rating = new MessageRating(rateCard, settings);

        List<RatedUsage> charges = Arrays.stream(RatingFixtures.messages(body))
                .map(message -> rated(rating.rate(message), message)).toList();

        assertThat(SmsSegments.count(body.text()))
                .isEqualTo(new SmsSegments.SegmentCount(body.encoding(), body.text().length(), body.segments()));
        assertThat(charges).allSatisfy(charge -> assertThat(charge.billableQuantity()).isEqualTo(body.segments()));
        assertThat(charges).extracting(RatedUsage::rateId)
                .contains("sms-out-1", "sms-out-1876", "sms-out-44", "sms-out-49", "sms-in-1", "sms-in-44");
        assertThat(charges).extracting(RatedUsage::rateVersion).contains(1, 2);
    }

    private static RatedUsage rated(RatingOutcome outcome, CallFacts call) {
        assertThat(outcome).as("%s to %s", call.cdrId(), call.toNumber()).isInstanceOf(RatingOutcome.Rated.class);
        return ((RatingOutcome.Rated) outcome).charge();
    }

    private static RatedUsage rated(RatingOutcome outcome, MessageFacts message) {
        assertThat(outcome).as("%s to %s", message.eventId(), message.toAddress())
                .isInstanceOf(RatingOutcome.Rated.class);
        return ((RatingOutcome.Rated) outcome).charge();
    }
}
