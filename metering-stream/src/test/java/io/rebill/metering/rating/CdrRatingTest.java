package io.rebill.metering.rating;

import io.rebill.rebilling.RebillingTerms;
import io.rebill.rebilling.Markup;
import static io.rebill.metering.rating.InMemoryRateCard.rate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CdrRatingTest {

    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant START = Instant.parse("2026-03-15T12:00:00Z");

    private final InMemoryRateCard rateCard = new InMemoryRateCard()
            // 30/6 increments, $0.013 a minute, $0.00025 to connect.
            .put(UsageType.VOICE, Direction.OUTBOUND, "1876", JAN,
                    new Rate("jm-out", 3, "USD", 13_000, 30, 6, 0, 250, 0))
            .put(UsageType.VOICE, Direction.INBOUND, "1876", JAN, rate("jm-in", 6_000))
            .put(UsageType.VOICE_AI, Direction.OUTBOUND, "1876", JAN, rate("jm-ai", 70_000))
            .put(UsageType.VOICE, Direction.OUTBOUND, "44", JAN, new Rate("uk-broken", 1, "USD", 1_000, 0, 60, 0, 0, 0));
    private final Map<String, RebillingTerms> settings = new HashMap<>(
            // Every known workspace has defaults; this one does not re-bill unless a test says so.
            Map.of("ws-1", terms(false, true, 10_500, 10_500)));
    private final CdrRating rating = new CdrRating(rateCard, key -> Optional.ofNullable(settings.get(key)));

    private static CallFacts call(int billableSeconds) {
        return new CallFacts("carrier-a", "cdr-1", 1, "ws-1", "sa-1", CallService.VOICE, Direction.OUTBOUND,
                "+18765550123", START, START.plusSeconds(5), START.plusSeconds(billableSeconds + 5L), billableSeconds,
                CallDisposition.ANSWERED);
    }

    private static RebillingTerms terms(boolean enabled, boolean markupAllowed, int voice, int voiceAi) {
        return new RebillingTerms(enabled, markupAllowed, Map.of(UsageType.VOICE, voice, UsageType.VOICE_AI, voiceAi));
    }

    private RatedUsage rated(CallFacts call) {
        RatingOutcome outcome = rating.rate(call);
        assertThat(outcome).isInstanceOf(RatingOutcome.Rated.class);
        return ((RatingOutcome.Rated) outcome).charge();
    }

    private RatingOutcome.Rejected rejected(CallFacts call) {
        RatingOutcome outcome = rating.rate(call);
        assertThat(outcome).isInstanceOf(RatingOutcome.Rejected.class);
        return (RatingOutcome.Rejected) outcome;
    }

    @Test
    void shouldPriceCostAndMarkedUpPriceWhenSubAccountIsRebilled() {
        settings.put("ws-1/sa-1", terms(true, true, 10_500, 20_000));

        RatedUsage charge = rated(call(47));

        // 47 s at 30/6 -> 30 + ceil(17 / 6) * 6 = 48 s; 48 * 13,000 / 60 = 10,400 micros; + 250 connect fee.
        // Price: 10,650 * 1.05 = 11,182.5 -> 11,183 (half up).
        assertThat(charge).isEqualTo(new RatedUsage("cdr:carrier-a:cdr-1:v1", "cdr:carrier-a/cdr-1/v1", "ws-1",
                "sa-1", UsageType.VOICE, QuantityUnit.SECOND, 47, 48, "USD", 10_650, 11_183, true, 10_500,
                "jm-out", 3, START));
    }

    @Test
    void shouldUseSubAccountSettingsWhenWorkspaceAlsoHasADefault() {
        settings.put("ws-1", terms(true, true, 20_000, 20_000));
        settings.put("ws-1/sa-1", terms(true, true, 12_000, 12_000));

        RatedUsage charge = rated(call(47));

        assertThat(charge.multiplierBasisPoints()).isEqualTo(12_000);
        assertThat(charge.priceMicros()).isEqualTo(12_780); // 10,650 * 1.2
    }

    @Test
    void shouldUseWorkspaceDefaultWhenSubAccountHasNoSettings() {
        settings.put("ws-1", terms(true, true, 20_000, 20_000));
        settings.put("ws-1/sa-other", terms(true, true, 12_000, 12_000));

        RatedUsage charge = rated(call(47));

        assertThat(charge.rebilled()).isTrue();
        assertThat(charge.multiplierBasisPoints()).isEqualTo(20_000);
        assertThat(charge.priceMicros()).isEqualTo(21_300);
    }

    @Test
    void shouldNotRebillWhenNeitherSubAccountNorWorkspaceHasSettings() {
        RatedUsage charge = rated(call(47));

        assertThat(charge.rebilled()).isFalse();
        assertThat(charge.priceMicros()).isZero();
        assertThat(charge.multiplierBasisPoints()).isEqualTo(Markup.ONE_X_BASIS_POINTS);
        assertThat(charge.costMicros()).isEqualTo(10_650);
    }

    @Test
    void shouldNotRebillWhenSubAccountDisablesRebillingThatWorkspaceDefaultEnables() {
        settings.put("ws-1", terms(true, true, 20_000, 20_000));
        settings.put("ws-1/sa-1", terms(false, true, 12_000, 12_000));

        RatedUsage charge = rated(call(47));

        assertThat(charge.rebilled()).isFalse();
        assertThat(charge.priceMicros()).isZero();
        assertThat(charge.multiplierBasisPoints()).isEqualTo(Markup.ONE_X_BASIS_POINTS);
    }

    @Test
    void shouldPinMultiplierTo105WhenWorkspaceMayNotMarkUp() {
        settings.put("ws-1/sa-1", terms(true, false, 30_000, 30_000));

        RatedUsage charge = rated(call(47));

        assertThat(charge.multiplierBasisPoints()).isEqualTo(10_500);
        assertThat(charge.priceMicros()).isEqualTo(11_183);
    }

    @Test
    void shouldRateAsVoiceAiWithItsOwnMultiplierWhenServiceIsVoiceAi() {
        settings.put("ws-1/sa-1", terms(true, true, 10_500, 20_000));
        CallFacts call = call(60);
        CallFacts aiCall = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                call.subAccountId(), CallService.VOICE_AI, call.direction(), call.toNumber(), call.startTime(),
                call.answerTime(), call.endTime(), call.billableSeconds(), call.disposition());

        RatedUsage charge = rated(aiCall);

        assertThat(charge.usageType()).isEqualTo(UsageType.VOICE_AI);
        assertThat(charge.rateId()).isEqualTo("jm-ai");
        assertThat(charge.costMicros()).isEqualTo(70_000);
        assertThat(charge.priceMicros()).isEqualTo(140_000);
    }

    @Test
    void shouldRateInboundCallOnTheCalledNumberWhenDirectionIsInbound() {
        CallFacts inbound = new CallFacts("carrier-a", "cdr-2", 1, "ws-1", "sa-1", CallService.VOICE,
                Direction.INBOUND, "+18765550199", START, START, START.plusSeconds(90), 90, CallDisposition.ANSWERED);

        RatedUsage charge = rated(inbound);

        assertThat(charge.rateId()).isEqualTo("jm-in");
        assertThat(charge.costMicros()).isEqualTo(9_000); // 90 s * 6,000 / 60
    }

    @ParameterizedTest
    @EnumSource(value = CallDisposition.class, names = "ANSWERED", mode = EnumSource.Mode.EXCLUDE)
    void shouldNotBillWhenCallWasNotAnswered(CallDisposition disposition) {
        CallFacts call = call(0);
        CallFacts unanswered = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                call.subAccountId(), call.service(), call.direction(), call.toNumber(), call.startTime(),
                call.answerTime(), call.endTime(), 0, disposition);

        assertThat(rating.rate(unanswered)).isEqualTo(new RatingOutcome.NotBillable("disposition " + disposition));
    }

    @Test
    void shouldNotBillWhenAnsweredCallLastedZeroSeconds() {
        assertThat(rating.rate(call(0))).isInstanceOf(RatingOutcome.NotBillable.class);
    }

    @Test
    void shouldRejectAsInvalidCdrWhenBillableSecondsAreNegative() {
        assertThat(rejected(call(-1)).reasonCode()).isEqualTo(ReasonCode.INVALID_CDR);
    }

    @Test
    void shouldRejectAsInvalidCdrWhenCallEndsBeforeItStarts() {
        CallFacts call = call(10);
        CallFacts backwards = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                call.subAccountId(), call.service(), call.direction(), call.toNumber(), START,
                START, START.minusMillis(1), 10, call.disposition());

        RatingOutcome.Rejected rejection = rejected(backwards);

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.INVALID_CDR);
        assertThat(rejection.reason()).contains("endTime");
    }

    @Test
    void shouldRateTheLongestCallAcceptedExactlyAndRejectOneSecondMore() {
        RatedUsage day = rated(call(CdrRating.DEFAULT_MAX_BILLABLE_SECONDS));
        RatingOutcome.Rejected longer = rejected(call(CdrRating.DEFAULT_MAX_BILLABLE_SECONDS + 1));

        assertThat(day.billableQuantity()).isEqualTo(86_400);
        // 86,400 s at $0.013 a minute: $18.72, plus $0.00025 to connect.
        assertThat(day.costMicros()).isEqualTo(18_720_250);
        assertThat(longer.reasonCode()).isEqualTo(ReasonCode.INVALID_CDR);
        assertThat(longer.reason()).contains("86401", "longest call accepted, 86400 s");
    }

    @Test
    void shouldRejectAnAbsurdlyLongCallEvenWhenItsTimesAgree() {
        assertThat(rejected(call(Integer.MAX_VALUE)).reasonCode()).isEqualTo(ReasonCode.INVALID_CDR);
    }

    @Test
    void shouldTakeTheLongestCallFromItsConfiguration() {
        CdrRating hourLong = new CdrRating(rateCard, key -> Optional.ofNullable(settings.get(key)), 3_600);

        assertThat(hourLong.rate(call(3_600))).isInstanceOf(RatingOutcome.Rated.class);
        assertThat(hourLong.rate(call(3_601))).isInstanceOfSatisfying(RatingOutcome.Rejected.class,
                rejection -> assertThat(rejection.reason()).contains("longest call accepted, 3600 s"));
        assertThatThrownBy(() -> new CdrRating(rateCard, key -> Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectMoreBillableSecondsThanTheCallLastedFromAnswerToEnd() {
        // Answered at +5 s, ended at +65 s: 60 s, and 1 s of the carrier's rounding.
        CallFacts lasted60 = withTimes(call(61), START, START.plusSeconds(5), START.plusSeconds(65));
        CallFacts billed62 = withTimes(call(62), START, START.plusSeconds(5), START.plusSeconds(65));

        assertThat(rated(lasted60).rawQuantity()).isEqualTo(61);
        RatingOutcome.Rejected rejection = rejected(billed62);
        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.INVALID_CDR);
        assertThat(rejection.reason()).contains("billableSeconds 62 is more than the 60 s from answerTime to endTime");
    }

    @Test
    void shouldCountPartSecondsUpAndMeasureFromTheStartWithoutAnAnswerTime() {
        // 60.2 s from start to end, no answer time: up to 61 s, 62 with the rounding.
        CallFacts billed62 = withTimes(call(62), START, null, START.plusMillis(60_200));
        CallFacts billed63 = withTimes(call(63), START, null, START.plusMillis(60_200));

        assertThat(rating.rate(billed62)).isInstanceOf(RatingOutcome.Rated.class);
        assertThat(rejected(billed63).reason()).contains("61 s from startTime to endTime");
    }

    @Test
    void shouldRejectAnAnswerOutsideTheCall() {
        CallFacts answeredBefore = withTimes(call(10), START, START.minusSeconds(1), START.plusSeconds(20));
        CallFacts answeredAfter = withTimes(call(10), START, START.plusSeconds(21), START.plusSeconds(20));

        assertThat(rejected(answeredBefore).reason()).contains("answerTime", "outside the call");
        assertThat(rejected(answeredAfter).reason()).contains("answerTime", "outside the call");
    }

    private static CallFacts withTimes(CallFacts call, Instant start, Instant answer, Instant end) {
        return new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(), call.subAccountId(),
                call.service(), call.direction(), call.toNumber(), start, answer, end, call.billableSeconds(),
                call.disposition());
    }

    @Test
    void shouldRejectAsInvalidCdrWhenServiceOrDirectionIsUnknown() {
        CallFacts call = call(10);
        CallFacts unknownService = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                call.subAccountId(), CallService.UNKNOWN, call.direction(), call.toNumber(), call.startTime(),
                call.answerTime(), call.endTime(), 10, call.disposition());
        CallFacts unknownDirection = new CallFacts(call.carrierId(), call.cdrId(), call.version(),
                call.workspaceId(), call.subAccountId(), call.service(), Direction.UNKNOWN, call.toNumber(),
                call.startTime(), call.answerTime(), call.endTime(), 10, call.disposition());

        assertThat(rejected(unknownService).reasonCode()).isEqualTo(ReasonCode.INVALID_CDR);
        assertThat(rejected(unknownDirection).reasonCode()).isEqualTo(ReasonCode.INVALID_CDR);
    }

    @Test
    void shouldRejectAsInvalidCdrWhenSubAccountIsMissing() {
        CallFacts call = call(10);
        CallFacts noSubAccount = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                " ", call.service(), call.direction(), call.toNumber(), call.startTime(), call.answerTime(),
                call.endTime(), 10, call.disposition());

        assertThat(rejected(noSubAccount).reason()).contains("subAccountId");
    }

    @Test
    void shouldRejectAsNoRateWhenNoPrefixMatchesTheDestination() {
        CallFacts call = call(10);
        CallFacts toGermany = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                call.subAccountId(), call.service(), call.direction(), "+4915123456789", call.startTime(),
                call.answerTime(), call.endTime(), 10, call.disposition());

        RatingOutcome.Rejected rejection = rejected(toGermany);

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.NO_RATE);
        assertThat(rejection.reason()).contains("+4915123456789");
    }

    @Test
    void shouldRejectAsInvalidNumberWhenCalledNumberIsNotE164() {
        CallFacts call = call(10);
        CallFacts national = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                call.subAccountId(), call.service(), call.direction(), "8765550123", call.startTime(),
                call.answerTime(), call.endTime(), 10, call.disposition());

        assertThat(rejected(national).reasonCode()).isEqualTo(ReasonCode.INVALID_NUMBER);
    }

    @Test
    void shouldRejectAsInvalidRateWhenMatchingEntryCannotBeApplied() {
        CallFacts call = call(10);
        CallFacts toUk = new CallFacts(call.carrierId(), call.cdrId(), call.version(), call.workspaceId(),
                call.subAccountId(), call.service(), call.direction(), "+442079460958", call.startTime(),
                call.answerTime(), call.endTime(), 10, call.disposition());

        assertThat(rejected(toUk).reasonCode()).isEqualTo(ReasonCode.INVALID_RATE);
    }

    @Test
    void shouldRejectAsInvalidSettingsWhenMultiplierIsOutsideOneToTenX() {
        settings.put("ws-1/sa-1", terms(true, true, 5_000, 5_000));

        assertThat(rejected(call(10)).reasonCode()).isEqualTo(ReasonCode.INVALID_SETTINGS);
    }

    @Test
    void shouldDeriveTheSameChargeIdWhenTheSameCdrIsRatedTwice() {
        assertThat(rated(call(47)).chargeId()).isEqualTo(rated(call(47)).chargeId());
    }

    @Test
    void shouldRejectWithUnknownWorkspaceWhenTheWorkspaceHasNoSettings() {
        settings.remove("ws-1");

        RatingOutcome.Rejected rejection = rejected(call(47));

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.UNKNOWN_WORKSPACE);
        assertThat(rejection.reason()).contains("ws-1");
    }

    @Test
    void shouldChargeTheUnansweredCallFeeWhenTheRateSetsOne() {
        rateCard.put(UsageType.VOICE, Direction.OUTBOUND, "1876", START.minusSeconds(60),
                new Rate("jm-out-fee", 4, "USD", 13_000, 30, 6, 0, 250, 1_200));
        settings.put("ws-1", terms(true, true, 10_500, 10_500));
        CallFacts busy = new CallFacts("carrier-a", "cdr-1", 1, "ws-1", "sa-1", CallService.VOICE, Direction.OUTBOUND,
                "+18765550123", START, null, START.plusSeconds(20), 0, CallDisposition.BUSY);

        RatedUsage charge = rated(busy);

        // The fee is the whole cost: no seconds, no connect fee; 1,200 * 1.05 = 1,260.
        assertThat(charge.costMicros()).isEqualTo(1_200);
        assertThat(charge.priceMicros()).isEqualTo(1_260);
        assertThat(charge.billableQuantity()).isZero();
        assertThat(charge.rateId()).isEqualTo("jm-out-fee");
    }

    @Test
    void shouldNeverChargeFailedCallsEvenWhenTheRateHasAnUnansweredFee() {
        rateCard.put(UsageType.VOICE, Direction.OUTBOUND, "1876", START.minusSeconds(60),
                new Rate("jm-out-fee", 4, "USD", 13_000, 30, 6, 0, 250, 1_200));
        CallFacts failed = new CallFacts("carrier-a", "cdr-1", 1, "ws-1", "sa-1", CallService.VOICE,
                Direction.OUTBOUND, "+18765550123", START, null, START.plusSeconds(20), 0, CallDisposition.FAILED);

        assertThat(rating.rate(failed)).isInstanceOf(RatingOutcome.NotBillable.class);
    }

    @Test
    void shouldLeaveUnansweredCallsFreeWhenNoRateApplies() {
        CallFacts unanswered = new CallFacts("carrier-a", "cdr-1", 1, "ws-1", "sa-1", CallService.VOICE,
                Direction.OUTBOUND, "+861062345678", START, null, START.plusSeconds(20), 0, CallDisposition.NO_ANSWER);

        assertThat(rating.rate(unanswered)).isInstanceOf(RatingOutcome.NotBillable.class);
    }

    @Test
    void shouldPinMultiplierWhenTheWorkspaceTierForbidsMarkupWhateverTheSubAccountSays() {
        settings.put("ws-1", terms(true, false, 10_500, 10_500));
        settings.put("ws-1/sa-1", terms(true, true, 30_000, 30_000));

        RatedUsage charge = rated(call(47));

        assertThat(charge.multiplierBasisPoints()).isEqualTo(10_500);
        assertThat(charge.priceMicros()).isEqualTo(11_183); // 10,650 * 1.05 = 11,182.5 -> half up
    }
}
