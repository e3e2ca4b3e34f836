package io.rebill.metering.rating;

import io.rebill.rebilling.RebillingTerms;
import io.rebill.rebilling.Markup;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.ChargeKind;
import io.rebill.schemas.usage.MessageChannel;
import io.rebill.schemas.usage.TextEncoding;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageRatingTest {

    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant SENT = Instant.parse("2026-03-15T12:00:00Z");
    private static final String US_MOBILE = "+12025550123";
    private static final String UK_MOBILE = "+447700900123";

    private final InMemoryRateCard rateCard = new InMemoryRateCard()
            // $0.0079 a segment out, $0.0075 in, for US/Canada; $0.045 out to the UK.
            .put(UsageType.SMS, Direction.OUTBOUND, "1", JAN, Rate.perUnit("sms-us-out", 2, "USD", 7_900))
            .put(UsageType.SMS, Direction.INBOUND, "1", JAN, Rate.perUnit("sms-us-in", 1, "USD", 7_500))
            .put(UsageType.SMS, Direction.OUTBOUND, "44", JAN, Rate.perUnit("sms-uk-out", 1, "USD", 45_000))
            // An entry so dear that three segments do not fit a long.
            .put(UsageType.SMS, Direction.OUTBOUND, "1242", JAN,
                    Rate.perUnit("sms-bs-out", 1, "USD", Long.MAX_VALUE / 2))
            .put(UsageType.MMS, Direction.OUTBOUND, "1", JAN, Rate.perUnit("mms-us-out", 1, "USD", 20_000))
            .put(UsageType.MMS, Direction.INBOUND, "1", JAN, Rate.perUnit("mms-us-in", 1, "USD", 15_000))
            // $0.000675 an email, for every destination.
            .put(UsageType.EMAIL, Direction.OUTBOUND, "", JAN, Rate.perUnit("email-out", 1, "USD", 675));
    private final Map<String, RebillingTerms> settings = new HashMap<>();
    private final MessageRating rating = new MessageRating(rateCard, key -> Optional.ofNullable(settings.get(key)));

    MessageRatingTest() {
        settings.put("ws-1", terms(true, true, 20_000, 20_000, 20_000));
        settings.put("ws-1/sa-1", terms(true, true, 12_500, 20_000, 30_000));
    }

    @Test
    void shouldCountADeclaredUcs2BodyAsUcs2EvenWhenItFitsGsm7() {
        // 71 GSM-7 characters sent as UCS-2: 71 code units, over the 70 of one UCS-2 segment.
        RatedUsage charge = rated(sms("a".repeat(71)).encoding(TextEncoding.UCS2));

        assertThat(charge.billableQuantity()).isEqualTo(2);
    }

    @Test
    void shouldRejectAnSmsLongerThanTheConcatenationLimit() {
        RatingOutcome outcome = rating.rate(sms(null).bodyLength(153 * 255 + 1).encoding(TextEncoding.GSM7).facts());

        assertThat(outcome).isInstanceOfSatisfying(RatingOutcome.Rejected.class, rejected -> {
            assertThat(rejected.reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
            assertThat(rejected.reason()).contains("256 segments").contains("at most 255");
        });
    }

    private static RebillingTerms terms(boolean enabled, boolean markupAllowed, int sms, int mms, int email) {
        return new RebillingTerms(enabled, markupAllowed,
                Map.of(UsageType.SMS, sms, UsageType.MMS, mms, UsageType.EMAIL, email));
    }

    /** An outbound SMS from sa-1 of ws-1 to a US mobile; each test changes what it is about. */
    private static Message sms(String body) {
        return new Message().channel(MessageChannel.SMS).body(body);
    }

    private RatedUsage rated(Message message) {
        RatingOutcome outcome = rating.rate(message.facts());
        assertThat(outcome).isInstanceOf(RatingOutcome.Rated.class);
        return ((RatingOutcome.Rated) outcome).charge();
    }

    private RatingOutcome.Rejected rejected(Message message) {
        RatingOutcome outcome = rating.rate(message.facts());
        assertThat(outcome).isInstanceOf(RatingOutcome.Rejected.class);
        return (RatingOutcome.Rejected) outcome;
    }

    // ---- SMS --------------------------------------------------------------------------------

    @Test
    void shouldBillOneSegmentWhenOutboundSmsFitsIn160Gsm7Characters() {
        RatedUsage charge = rated(sms("Your code is 123456"));

        // 1 segment * 7,900 = 7,900 micros; sa-1 re-bills SMS at 1.25x: 9,875.
        assertThat(charge).isEqualTo(new RatedUsage("msg:evt-1", "msg:evt-1", "ws-1", "sa-1", UsageType.SMS,
                QuantityUnit.SEGMENT, 1, 1, "USD", 7_900, 9_875, true, 12_500, "sms-us-out", 2, SENT));
    }

    @Test
    void shouldBillEverySegmentWhenInboundSmsIsLongerThan160Characters() {
        RatedUsage charge = rated(sms("a".repeat(161)).direction(Direction.INBOUND));

        // 161 septets -> 2 parts of <= 153; 2 * 7,500 (inbound) = 15,000; * 1.25 = 18,750.
        assertThat(charge).isEqualTo(new RatedUsage("msg:evt-1", "msg:evt-1", "ws-1", "sa-1", UsageType.SMS,
                QuantityUnit.SEGMENT, 2, 2, "USD", 15_000, 18_750, true, 12_500, "sms-us-in", 1, SENT));
    }

    @Test
    void shouldBillUcs2SegmentsWhenBodyHasACharacterOutsideGsm7() {
        RatedUsage charge = rated(sms("Merci garçon! " + "a".repeat(57)).to(UK_MOBILE));

        // 'ç' makes it UCS-2: 14 + 57 = 71 code units > 70 -> 2 parts of <= 67.
        // 2 * 45,000 = 90,000 micros; * 1.25 = 112,500.
        assertThat(charge.quantityUnit()).isEqualTo(QuantityUnit.SEGMENT);
        assertThat(charge.rawQuantity()).isEqualTo(2);
        assertThat(charge.billableQuantity()).isEqualTo(2);
        assertThat(charge.rateId()).isEqualTo("sms-uk-out");
        assertThat(charge.costMicros()).isEqualTo(90_000);
        assertThat(charge.priceMicros()).isEqualTo(112_500);
    }

    @Test
    void shouldBillOneUcs2SegmentWhenAShortBodyHasAnEmoji() {
        RatedUsage charge = rated(sms("On my way \uD83D\uDE97"));

        // 10 + 2 = 12 code units, one UCS-2 segment: 7,900 micros.
        assertThat(charge.rawQuantity()).isEqualTo(1);
        assertThat(charge.costMicros()).isEqualTo(7_900);
    }

    @Test
    void shouldCountGsm7SegmentsFromLengthWhenBodyIsWithheld() {
        RatedUsage charge = rated(sms(null).bodyLength(307).encoding(TextEncoding.GSM7));

        // 307 septets -> ceil(307 / 153) = 3 segments; 3 * 7,900 = 23,700; * 1.25 = 29,625.
        assertThat(charge.billableQuantity()).isEqualTo(3);
        assertThat(charge.costMicros()).isEqualTo(23_700);
        assertThat(charge.priceMicros()).isEqualTo(29_625);
    }

    @Test
    void shouldCountUcs2SegmentsFromLengthWhenBodyIsWithheld() {
        RatedUsage charge = rated(sms(null).bodyLength(135).encoding(TextEncoding.UCS2));

        // 135 code units -> ceil(135 / 67) = 3 segments; 3 * 7,900 = 23,700.
        assertThat(charge.billableQuantity()).isEqualTo(3);
        assertThat(charge.costMicros()).isEqualTo(23_700);
    }

    @Test
    void shouldCountFromTheBodyWhenBothBodyAndLengthAreGiven() {
        RatedUsage charge = rated(sms("Hi").bodyLength(500).encoding(TextEncoding.UCS2));

        assertThat(charge.billableQuantity()).isEqualTo(1);
        assertThat(charge.costMicros()).isEqualTo(7_900);
    }

    @Test
    void shouldBillOneSegmentWhenSmsBodyIsEmpty() {
        assertThat(rated(sms("")).billableQuantity()).isEqualTo(1);
    }

    @Test
    void shouldUseTheRateInForceAtTheTimestampWhenTheRateCardChanges() {
        rateCard.put(UsageType.SMS, Direction.OUTBOUND, "1", APR, Rate.perUnit("sms-us-out", 3, "USD", 8_300));

        RatedUsage march = rated(sms("Hi"));
        RatedUsage may = rated(sms("Hi").timestamp(Instant.parse("2026-05-01T00:00:00Z")));

        assertThat(march.rateVersion()).isEqualTo(2);
        assertThat(march.costMicros()).isEqualTo(7_900);
        assertThat(may.rateVersion()).isEqualTo(3);
        assertThat(may.costMicros()).isEqualTo(8_300);
        assertThat(may.eventTime()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
    }

    // ---- MMS and email ----------------------------------------------------------------------

    @Test
    void shouldBillOneMessageWhenMmsIsSent() {
        RatedUsage charge = rated(new Message().channel(MessageChannel.MMS));

        // 1 message * 20,000 = 20,000 micros; sa-1 re-bills MMS at 2x: 40,000.
        assertThat(charge).isEqualTo(new RatedUsage("msg:evt-1", "msg:evt-1", "ws-1", "sa-1", UsageType.MMS,
                QuantityUnit.MESSAGE, 1, 1, "USD", 20_000, 40_000, true, 20_000, "mms-us-out", 1, SENT));
    }

    @Test
    void shouldBillOneMessageWhenMmsIsReceived() {
        RatedUsage charge = rated(new Message().channel(MessageChannel.MMS).direction(Direction.INBOUND));

        // 1 message * 15,000 (inbound) = 15,000; * 2 = 30,000.
        assertThat(charge.rateId()).isEqualTo("mms-us-in");
        assertThat(charge.costMicros()).isEqualTo(15_000);
        assertThat(charge.priceMicros()).isEqualTo(30_000);
    }

    @Test
    void shouldRateOutboundEmailOnTheEmptyPrefixWhenTheAddressIsNotANumber() {
        RatedUsage charge = rated(new Message().channel(MessageChannel.EMAIL).to("client@example.com"));

        // 1 email * 675 = 675 micros; sa-1 re-bills email at 3x: 2,025.
        assertThat(charge).isEqualTo(new RatedUsage("msg:evt-1", "msg:evt-1", "ws-1", "sa-1", UsageType.EMAIL,
                QuantityUnit.MESSAGE, 1, 1, "USD", 675, 2_025, true, 30_000, "email-out", 1, SENT));
    }

    @Test
    void shouldRecordButNotChargeWhenEmailIsInbound() {
        RatedUsage charge = rated(new Message().channel(MessageChannel.EMAIL).direction(Direction.INBOUND)
                .to("agency@example.com"));

        // Counted for BI (raw 1), worth nothing to either wallet: no rate card has inbound email.
        assertThat(charge).isEqualTo(new RatedUsage("msg:evt-1", "msg:evt-1", "ws-1", "sa-1", UsageType.EMAIL,
                QuantityUnit.MESSAGE, 1, 0, "XXX", 0, 0, false, Markup.ONE_X_BASIS_POINTS, "none", 0, SENT,
                false, ChargeKind.USAGE, null));
        assertThat(charge.marginMicros()).isZero();
    }

    // ---- re-billing settings ----------------------------------------------------------------

    @Test
    void shouldUseWorkspaceDefaultWhenSubAccountHasNoSettings() {
        RatedUsage charge = rated(sms("Hi").subAccount("sa-2"));

        // ws-1 re-bills SMS at 2x: 7,900 * 2 = 15,800.
        assertThat(charge.rebilled()).isTrue();
        assertThat(charge.multiplierBasisPoints()).isEqualTo(20_000);
        assertThat(charge.priceMicros()).isEqualTo(15_800);
    }

    @Test
    void shouldNotRebillWhenSubAccountDisablesRebilling() {
        settings.put("ws-1/sa-1", terms(false, true, 12_500, 20_000, 30_000));

        RatedUsage charge = rated(sms("Hi"));

        assertThat(charge.rebilled()).isFalse();
        assertThat(charge.priceMicros()).isZero();
        assertThat(charge.multiplierBasisPoints()).isEqualTo(Markup.ONE_X_BASIS_POINTS);
        assertThat(charge.costMicros()).isEqualTo(7_900);
        assertThat(charge.marginMicros()).isEqualTo(-7_900);
    }

    @Test
    void shouldPinMultiplierTo105WhenWorkspaceMayNotMarkUp() {
        settings.put("ws-1", terms(true, false, 20_000, 20_000, 20_000));

        RatedUsage smsCharge = rated(sms("Hi"));
        RatedUsage emailCharge = rated(new Message().channel(MessageChannel.EMAIL).to("client@example.com"));

        // sa-1 asks for 1.25x and 3x; the tier allows 1.05x only.
        // SMS: 7,900 * 1.05 = 8,295. Email: 675 * 1.05 = 708.75 -> 709 (half up).
        assertThat(smsCharge.multiplierBasisPoints()).isEqualTo(Markup.FIXED_TIER_BASIS_POINTS);
        assertThat(smsCharge.priceMicros()).isEqualTo(8_295);
        assertThat(emailCharge.multiplierBasisPoints()).isEqualTo(Markup.FIXED_TIER_BASIS_POINTS);
        assertThat(emailCharge.priceMicros()).isEqualTo(709);
    }

    // ---- rejections -------------------------------------------------------------------------

    @Test
    void shouldRejectAsUnknownWorkspaceWhenWorkspaceHasNoDefaultsEvenIfItsSubAccountHasSettings() {
        settings.put("ws-2/sa-1", terms(true, true, 12_500, 20_000, 30_000));

        RatingOutcome.Rejected rejection = rejected(sms("Hi").workspace("ws-2"));

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.UNKNOWN_WORKSPACE);
        assertThat(rejection.reason()).contains("ws-2");
    }

    @Test
    void shouldRejectAsUnknownWorkspaceWhenAnUnbilledInboundEmailComesFromAnUnknownWorkspace() {
        Message inboundEmail = new Message().channel(MessageChannel.EMAIL).direction(Direction.INBOUND)
                .to("agency@example.com").workspace("ws-2");

        assertThat(rejected(inboundEmail).reasonCode()).isEqualTo(ReasonCode.UNKNOWN_WORKSPACE);
    }

    @Test
    void shouldRejectAsNoRateWhenNoSmsPrefixMatchesTheRecipient() {
        RatingOutcome.Rejected rejection = rejected(sms("Hallo").to("+4915123456789"));

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.NO_RATE);
        assertThat(rejection.reason()).contains("SMS", "OUTBOUND", "+4915123456789");
    }

    @Test
    void shouldRejectAsNoRateWhenTheMessageIsOlderThanEveryRate() {
        RatingOutcome.Rejected rejection = rejected(sms("Hi").timestamp(Instant.parse("2025-12-31T23:59:59Z")));

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.NO_RATE);
    }

    @Test
    void shouldRejectAsNoRateWhenRateCardHasNoEmptyPrefixEmailRate() {
        InMemoryRateCard withoutEmailDefault = new InMemoryRateCard()
                .put(UsageType.EMAIL, Direction.OUTBOUND, "1", JAN, Rate.perUnit("email-us", 1, "USD", 675));
        MessageRating noEmailDefault = new MessageRating(withoutEmailDefault,
                key -> Optional.ofNullable(settings.get(key)));

        RatingOutcome outcome = noEmailDefault.rate(
                new Message().channel(MessageChannel.EMAIL).to("client@example.com").facts());

        assertThat(outcome).isInstanceOfSatisfying(RatingOutcome.Rejected.class, rejection -> {
            assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.NO_RATE);
            assertThat(rejection.reason()).contains("EMAIL", "empty prefix");
        });
    }

    @Test
    void shouldRejectAsInvalidNumberWhenSmsRecipientIsNotE164() {
        assertThat(rejected(sms("Hi").to("2025550123")).reasonCode()).isEqualTo(ReasonCode.INVALID_NUMBER);
    }

    @Test
    void shouldRejectAsInvalidNumberWhenMmsRecipientIsAnEmailAddress() {
        Message mms = new Message().channel(MessageChannel.MMS).to("client@example.com");

        assertThat(rejected(mms).reasonCode()).isEqualTo(ReasonCode.INVALID_NUMBER);
    }

    @Test
    void shouldRejectAsAmountOverflowWhenSegmentsTimesPriceDoNotFitALong() {
        RatingOutcome.Rejected rejection = rejected(sms("a".repeat(307)).to("+12423570123"));

        // 3 segments * (Long.MAX_VALUE / 2) > Long.MAX_VALUE.
        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.AMOUNT_OVERFLOW);
    }

    @Test
    void shouldRejectAsInvalidMessageWhenAnIdIsBlank() {
        assertThat(rejected(sms("Hi").eventId(" ")).reason()).contains("eventId");
        assertThat(rejected(sms("Hi").workspace("")).reason()).contains("workspaceId");
        assertThat(rejected(sms("Hi").subAccount(null)).reason()).contains("subAccountId");
        assertThat(rejected(sms("Hi").subAccount(null)).reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRejectAsInvalidMessageWhenWorkspaceIdContainsASlash() {
        RatingOutcome.Rejected rejection = rejected(sms("Hi").workspace("ws-1/sa-1"));

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
        assertThat(rejection.reason()).contains("'/'");
    }

    @Test
    void shouldRejectAsInvalidMessageWhenChannelIsUnknownOrMissing() {
        assertThat(rejected(sms("Hi").channel(MessageChannel.UNKNOWN)).reasonCode())
                .isEqualTo(ReasonCode.INVALID_MESSAGE);
        assertThat(rejected(sms("Hi").channel(null)).reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRejectAsInvalidMessageWhenDirectionIsUnknownOrMissing() {
        assertThat(rejected(sms("Hi").direction(Direction.UNKNOWN)).reasonCode())
                .isEqualTo(ReasonCode.INVALID_MESSAGE);
        assertThat(rejected(sms("Hi").direction(null)).reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRejectAsInvalidMessageWhenSmsHasNeitherBodyNorLength() {
        RatingOutcome.Rejected rejection = rejected(sms(null));

        assertThat(rejection.reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
        assertThat(rejection.reason()).contains("neither a body nor a body length");
    }

    @Test
    void shouldRejectAsInvalidMessageWhenLengthIsNegativeOrHasNoKnownEncoding() {
        assertThat(rejected(sms(null).bodyLength(-1).encoding(TextEncoding.GSM7)).reasonCode())
                .isEqualTo(ReasonCode.INVALID_MESSAGE);
        assertThat(rejected(sms(null).bodyLength(10).encoding(TextEncoding.UNKNOWN)).reasonCode())
                .isEqualTo(ReasonCode.INVALID_MESSAGE);
        assertThat(rejected(sms(null).bodyLength(10).encoding(null)).reasonCode())
                .isEqualTo(ReasonCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRejectAsInvalidMessageWhenTimestampIsMissing() {
        assertThat(rejected(sms("Hi").timestamp(null)).reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRejectAsInvalidMessageRatherThanUnknownWorkspaceWhenBothApply() {
        Message broken = sms(null).workspace("ws-unknown");

        assertThat(rejected(broken).reasonCode()).isEqualTo(ReasonCode.INVALID_MESSAGE);
    }

    @Test
    void shouldNotNeedABodyWhenMessageIsAnMmsOrEmail() {
        assertThat(rated(new Message().channel(MessageChannel.MMS)).costMicros()).isEqualTo(20_000);
        assertThat(rated(new Message().channel(MessageChannel.EMAIL).to("client@example.com")).costMicros())
                .isEqualTo(675);
    }

    // ---- charge ids -------------------------------------------------------------------------

    @Test
    void shouldDeriveTheSameChargeIdWhenTheSameEventIsRatedTwice() {
        assertThat(rated(sms("Hi")).chargeId()).isEqualTo(rated(sms("Hi")).chargeId());
    }

    @Test
    void shouldEscapeTheEventIdInTheChargeIdWhenItContainsAColon() {
        RatedUsage charge = rated(sms("Hi").eventId("twilio:SM123"));

        assertThat(charge.chargeId()).isEqualTo("msg:twilio%3ASM123");
        assertThat(charge.sourceRef()).isEqualTo("msg:twilio:SM123");
    }

    /** A message event under test: valid by default, one field changed per test. */
    private static final class Message {
        private String eventId = "evt-1";
        private String workspaceId = "ws-1";
        private String subAccountId = "sa-1";
        private MessageChannel channel = MessageChannel.SMS;
        private Direction direction = Direction.OUTBOUND;
        private String toAddress = US_MOBILE;
        private String body;
        private Integer bodyLength;
        private TextEncoding encoding;
        private Instant timestamp = SENT;

        Message eventId(String value) {
            eventId = value;
            return this;
        }

        Message workspace(String value) {
            workspaceId = value;
            return this;
        }

        Message subAccount(String value) {
            subAccountId = value;
            return this;
        }

        Message channel(MessageChannel value) {
            channel = value;
            return this;
        }

        Message direction(Direction value) {
            direction = value;
            return this;
        }

        Message to(String value) {
            toAddress = value;
            return this;
        }

        Message body(String value) {
            body = value;
            return this;
        }

        Message bodyLength(Integer value) {
            bodyLength = value;
            return this;
        }

        Message encoding(TextEncoding value) {
            encoding = value;
            return this;
        }

        Message timestamp(Instant value) {
            timestamp = value;
            return this;
        }

        MessageFacts facts() {
            return new MessageFacts(eventId, workspaceId, subAccountId, channel, direction, "+12025550100",
                    toAddress, body, bodyLength, encoding, timestamp);
        }
    }
}
