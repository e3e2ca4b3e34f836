package io.rebill.metering;

import io.rebill.rebilling.RebillingSettingsKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.config.ServiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rebill.metering.processor.MeteringMeters;
import io.rebill.metering.processor.UsageRatingProcessor;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.ChargeKind;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.usage.MessageChannel;
import io.rebill.schemas.usage.MessageEvent;
import io.rebill.schemas.usage.TextEncoding;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metering topology in a TopologyTestDriver with the production (exactly-once) config and an
 * in-memory registry: every rating, re-billing, de-duplication and correction rule, end to end.
 */
class MeteringTopologyTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-03-16T08:00:00Z");
    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant JUL = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant MARCH_CALL = Instant.parse("2026-03-15T12:00:00Z");
    private static final String US_NUMBER = "+12125550123";

    @TempDir
    Path stateDir;

    private final String registryScope = "metering-topology-" + UUID.randomUUID();
    private Topics topics;
    private TopologyTestDriver driver;
    private TestInputTopic<String, CallDetailRecord> cdrs;
    private TestInputTopic<String, MessageEvent> messages;
    private TestInputTopic<byte[], byte[]> rawCdrs;
    private TestInputTopic<String, RateCardEntry> rateCard;
    private TestInputTopic<String, RebillingSettings> rebillingSettings;
    private TestOutputTopic<String, RatedCharge> rated;
    private TestOutputTopic<String, DeadLetter> rejected;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private SimpleMeterRegistry meterRegistry;

    @BeforeEach
    void startDriver() {
        start(new Properties());
        // ws-1 is a known workspace that re-bills at the default 1.05x.
        publishSettings(null, true, true, 10_500);
    }

    private void start(Properties extra) {
        Properties overrides = new Properties();
        overrides.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, MockSchemaRegistry.URL_PREFIX + registryScope);
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        overrides.putAll(extra);
        Properties config = MeteringApp.config(overrides);
        topics = Topics.create(ServiceConfig.asMap(config));
        meterRegistry = new SimpleMeterRegistry();
        MeteringMeters meters = new MeteringMeters(meterRegistry);
        driver = new TopologyTestDriver(MeteringTopology.build(topics, config, meters), config, WALL_CLOCK);
        meters.countDeadLetters(driver, TopologyTestDriver::metrics);

        cdrs = driver.createInputTopic(topics.cdrRaw.name(), topics.cdrRaw.keySerde().serializer(),
                topics.cdrRaw.valueSerde().serializer());
        messages = driver.createInputTopic(topics.messagesRaw.name(), topics.messagesRaw.keySerde().serializer(),
                topics.messagesRaw.valueSerde().serializer());
        rawCdrs = driver.createInputTopic(topics.cdrRaw.name(), new ByteArraySerializer(), new ByteArraySerializer());
        rateCard = driver.createInputTopic(topics.rateCard.name(), topics.rateCard.keySerde().serializer(),
                topics.rateCard.valueSerde().serializer());
        rebillingSettings = driver.createInputTopic(topics.rebillingSettings.name(),
                topics.rebillingSettings.keySerde().serializer(), topics.rebillingSettings.valueSerde().serializer());
        rated = driver.createOutputTopic(topics.chargesRated.name(), topics.chargesRated.keySerde().deserializer(),
                topics.chargesRated.valueSerde().deserializer());
        rejected = driver.createOutputTopic(topics.chargesRejected.name(),
                topics.chargesRejected.keySerde().deserializer(), topics.chargesRejected.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.meteringDeadLetter.name(),
                topics.meteringDeadLetter.keySerde().deserializer(),
                topics.meteringDeadLetter.valueSerde().deserializer());
    }

    private void restartWith(String name, String value) {
        driver.close();
        Properties extra = new Properties();
        extra.put(name, value);
        start(extra);
        publishSettings(null, true, true, 10_500);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        MockSchemaRegistry.dropScope(registryScope);
    }

    // ---- voice ---------------------------------------------------------------------------------

    @Test
    void shouldRateAnsweredCallWithExactCostPriceAndMarginWhenSubAccountIsRebilled() {
        publishVoiceRate("nanp", "1", JAN, 13_000, 6, 6, 0, 0);

        pipe(call("cdr-1", US_NUMBER, 61));

        TestRecord<String, RatedCharge> record = rated.readRecord();
        assertThat(record.key()).isEqualTo("ws-1");
        assertThat(counter(MeteringMeters.RATED, "usage_type", "VOICE")).isEqualTo(1.0);
        assertThat(counter(MeteringMeters.RATED, "usage_type", "SMS")).isZero();
        RatedCharge charge = record.value();
        // 61 s at 6/6 -> 66 s; 66 * 13,000 / 60 = 14,300; * 1.05 = 15,015; margin 715.
        assertThat(charge.getChargeId()).isEqualTo("cdr:carrier-a:cdr-1:v1");
        assertThat(charge.getSourceRef()).isEqualTo("cdr:carrier-a/cdr-1/v1");
        assertThat(charge.getUsageType()).isEqualTo(UsageType.VOICE);
        assertThat(charge.getQuantityUnit()).isEqualTo(QuantityUnit.SECOND);
        assertThat(charge.getRawQuantity()).isEqualTo(61);
        assertThat(charge.getBillableQuantity()).isEqualTo(66);
        assertThat(charge.getCostMicros()).isEqualTo(14_300);
        assertThat(charge.getPriceMicros()).isEqualTo(15_015);
        assertThat(charge.getMarginMicros()).isEqualTo(715);
        assertThat(charge.getRebilled()).isTrue();
        assertThat(charge.getMultiplierBasisPoints()).isEqualTo(10_500);
        assertThat(charge.getRateId()).isEqualTo("nanp");
        assertThat(charge.getCurrency()).isEqualTo("USD");
        assertThat(charge.getEventTime()).isEqualTo(MARCH_CALL);
        assertThat(charge.getRatedAt()).isEqualTo(WALL_CLOCK);
        assertThat(charge.getKind()).isEqualTo(ChargeKind.USAGE);
        assertThat(charge.getBillable()).isTrue();
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void shouldRateOnLongestPrefixWhenShorterPrefixAlsoMatches() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        publishVoiceRate("jamaica", "1876", JAN, 60_000);

        pipe(call("cdr-1", "+18765550123", 60));
        pipe(call("cdr-2", US_NUMBER, 60));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getRateId, RatedCharge::getCostMicros)
                .containsExactly(tuple("jamaica", 60_000L), tuple("nanp", 6_000L));
    }

    @Test
    void shouldUseEntryValidAtCallStartWhenALaterEntryExists() {
        publishVoiceRate("nanp-2026", "1", JAN, 6_000);
        publishVoiceRate("nanp-july", "1", JUL, 9_000);

        pipe(call("cdr-1", US_NUMBER, 60));

        assertThat(rated.readValue().getRateId()).isEqualTo("nanp-2026");
    }

    @Test
    void shouldPriceWithSubAccountSettingsWhenWorkspaceDefaultAlsoExists() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        publishSettings("sa-1", true, true, 25_000);

        pipe(call("cdr-1", US_NUMBER, 60));
        pipe(call("cdr-2", US_NUMBER, 60).setSubAccountId("sa-2"));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getSubAccountId,
                        RatedCharge::getMultiplierBasisPoints, RatedCharge::getPriceMicros)
                .containsExactly(tuple("sa-1", 25_000, 15_000L), tuple("sa-2", 10_500, 6_300L));
    }

    @Test
    void shouldChargeTheWorkspaceOnlyWhenTheSubAccountIsNotRebilled() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        publishSettings("sa-1", false, true, 10_500);

        pipe(call("cdr-1", US_NUMBER, 60));

        RatedCharge charge = rated.readValue();
        assertThat(charge.getCostMicros()).isEqualTo(6_000);
        assertThat(charge.getPriceMicros()).isZero();
        assertThat(charge.getRebilled()).isFalse();
        assertThat(charge.getMarginMicros()).isEqualTo(-6_000);
    }

    @Test
    void shouldPinMarkupToOnePointZeroFiveOnTiersThatMayNotMarkUp() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        publishSettings(null, true, false, 10_500);
        publishSettings("sa-1", true, true, 40_000);

        pipe(call("cdr-1", US_NUMBER, 60));

        assertThat(rated.readValue().getPriceMicros()).isEqualTo(6_300);
    }

    @Test
    void shouldRejectSettingsOutsideOneToTenTimesInsteadOfClampingThem() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        publishSettings("sa-1", true, true, 120_000);

        pipe(call("cdr-1", US_NUMBER, 60));

        assertThat(rated.isEmpty()).isTrue();
        DeadLetter rejection = rejected.readValue();
        assertThat(rejection.getReasonCode()).isEqualTo("INVALID_SETTINGS");
        assertThat(rejection.getReason()).contains("120000").contains("outside 1x..10x");
    }

    @Test
    void shouldEmitNothingWhenCallWasNotAnsweredAndTheRateSetsNoFee() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 0).setDisposition(CallDisposition.NO_ANSWER).setAnswerTime(null));
        pipe(call("cdr-2", US_NUMBER, 0).setDisposition(CallDisposition.FAILED).setAnswerTime(null));

        assertThat(rated.isEmpty()).isTrue();
        assertThat(rejected.isEmpty()).isTrue();
        assertThat(metric("metering-cdr-not-billable-total")).isEqualTo(2.0);
        assertThat(meterRegistry.get(MeteringMeters.NOT_BILLABLE).counter().count()).isEqualTo(2.0);
        assertThat(meterRegistry.get(MeteringMeters.RATED).counters()).allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void shouldChargeTheUnansweredCallFeeWhenTheRateCardSetsOne() {
        publishVoiceRate("nanp", "1", JAN, 6_000, 1, 1, 0, 900);

        pipe(call("cdr-1", US_NUMBER, 0).setDisposition(CallDisposition.BUSY).setAnswerTime(null));

        RatedCharge charge = rated.readValue();
        assertThat(charge.getCostMicros()).isEqualTo(900);
        assertThat(charge.getPriceMicros()).isEqualTo(945);
        assertThat(charge.getBillableQuantity()).isZero();
    }

    @Test
    void shouldRejectUsageOfAWorkspaceThatHasNoSettings() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 60).setWorkspaceId("ws-unknown"));

        assertThat(rated.isEmpty()).isTrue();
        assertThat(rejected.readValue().getReasonCode()).isEqualTo("UNKNOWN_WORKSPACE");
    }

    @Test
    void shouldRejectWithNoRateTheOriginalRecordAndSourceCoordinatesWhenDestinationHasNoRate() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        CallDetailRecord toChina = call("cdr-2", "+861062345678", 60).build();

        pipe(call("cdr-1", US_NUMBER, 60));
        cdrs.pipeInput("carrier-a:cdr-2", toChina);

        TestRecord<String, DeadLetter> record = rejected.readRecord();
        assertThat(record.key()).isEqualTo("carrier-a:cdr-2");
        DeadLetter rejection = record.value();
        assertThat(rejection.getReasonCode()).isEqualTo("NO_RATE");
        assertThat(counter(MeteringMeters.REJECTED, "reason", "NO_RATE")).isEqualTo(1.0);
        assertThat(counter(MeteringMeters.RATED, "usage_type", "VOICE")).as("cdr-1 was rated").isEqualTo(1.0);
        assertThat(rejection.getReason()).contains("+861062345678");
        assertThat(rejection.getSourceTopic()).isEqualTo("metering.cdr.raw");
        assertThat(rejection.getSourcePartition()).isZero();
        assertThat(rejection.getSourceOffset()).isEqualTo(1);
        assertThat(rejection.getApplication()).isEqualTo(MeteringApp.APPLICATION_ID);
        // The original record, re-encoded: it decodes back to the CDR and can be replayed as it is.
        byte[] value = new byte[rejection.getValue().remaining()];
        rejection.getValue().duplicate().get(value);
        assertThat(topics.cdrRaw.valueSerde().deserializer().deserialize("metering.cdr.raw", value)).isEqualTo(toChina);
    }

    @Test
    void shouldRejectCallsLongerThanTheConfiguredLongestCall() {
        restartWith(MeteringConfig.MAX_BILLABLE_SECONDS, "3600");
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 3_600));
        pipe(call("cdr-2", US_NUMBER, 3_601));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-1:v1");
        assertThat(rejected.readValuesToList()).singleElement().satisfies(rejection -> {
            assertThat(rejection.getReasonCode()).isEqualTo("INVALID_CDR");
            assertThat(rejection.getReason()).contains("longest call accepted, 3600 s");
        });
    }

    @Test
    void shouldRejectNegativeDurationsAndUnparsableNumbersWithTheirReasonCodes() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, -5));
        pipe(call("cdr-2", "not a number", 60));
        cdrs.pipeInput("carrier-a:cdr-3", null);

        assertThat(rejected.readValuesToList()).extracting(DeadLetter::getReasonCode)
                .containsExactly("INVALID_CDR", "INVALID_NUMBER", "INVALID_CDR");
        assertThat(rated.isEmpty()).isTrue();
        assertThat(counter(MeteringMeters.REJECTED, "reason", "INVALID_CDR")).isEqualTo(2.0);
        assertThat(counter(MeteringMeters.REJECTED, "reason", "INVALID_NUMBER")).isEqualTo(1.0);
    }

    @Test
    void shouldIgnoreRateEntryWhenItIsNotKeyedByRateCardKey() {
        RateCardEntry handKeyed = voiceRate("hand-keyed", "1", JAN, 6_000, 1, 1, 0, 0);
        // Unpadded validFrom: it still falls inside the key range of prefix "1" for a March call.
        rateCard.pipeInput("VOICE:OUTBOUND:1:0", handKeyed);

        pipe(call("cdr-1", US_NUMBER, 60));

        assertThat(rated.isEmpty()).isTrue();
        assertThat(rejected.readValue().getReasonCode()).isEqualTo("NO_RATE");
    }

    // ---- duplicates and corrections ----------------------------------------------------------

    @Test
    void shouldChargeOnceWhenTheSameCdrArrivesTwice() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 60));
        pipe(call("cdr-1", US_NUMBER, 60));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-1:v1");
        assertThat(metric("metering-cdr-duplicate-total")).isEqualTo(1.0);
        assertThat(meterRegistry.get(MeteringMeters.DUPLICATES).counter().count()).isEqualTo(1.0);
        assertThat(counter(MeteringMeters.RATED, "usage_type", "VOICE")).isEqualTo(1.0);
    }

    @Test
    void shouldReverseTheEarlierChargeAndChargeTheCorrectionWhenAHigherVersionArrives() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 60));
        pipe(call("cdr-1", US_NUMBER, 120).setVersion(2));

        List<RatedCharge> charges = rated.readValuesToList();
        assertThat(charges).extracting(RatedCharge::getChargeId, RatedCharge::getKind, RatedCharge::getCostMicros,
                        RatedCharge::getPriceMicros, RatedCharge::getReversesChargeId)
                .containsExactly(
                        tuple("cdr:carrier-a:cdr-1:v1", ChargeKind.USAGE, 6_000L, 6_300L, null),
                        tuple("reversal:cdr:carrier-a:cdr-1:v1", ChargeKind.REVERSAL, -6_000L, -6_300L,
                                "cdr:carrier-a:cdr-1:v1"),
                        tuple("cdr:carrier-a:cdr-1:v2", ChargeKind.USAGE, 12_000L, 12_600L, null));
        // Both wallets end where the corrected record alone puts them.
        assertThat(charges.stream().mapToLong(RatedCharge::getCostMicros).sum()).isEqualTo(12_000);
        assertThat(charges.stream().mapToLong(RatedCharge::getPriceMicros).sum()).isEqualTo(12_600);
    }

    @Test
    void shouldDropAnOlderVersionThatArrivesAfterItsCorrection() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 120).setVersion(2));
        pipe(call("cdr-1", US_NUMBER, 60).setVersion(1));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-1:v2");
    }

    @Test
    void shouldChargeACorrectionOfAnUnansweredCallWithNothingToReverse() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 0).setDisposition(CallDisposition.NO_ANSWER).setAnswerTime(null));
        pipe(call("cdr-1", US_NUMBER, 60).setVersion(2));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-1:v2");
    }

    @Test
    void shouldKeepTheChargeWhenACorrectionIsRejectedUntilItIsFixedAndReplayed() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        pipe(call("cdr-1", US_NUMBER, 60));
        CallDetailRecord correctionToChina = call("cdr-1", "+861062345678", 60).setVersion(2).build();

        cdrs.pipeInput("carrier-a:cdr-1", correctionToChina);

        assertThat(rejected.readValue().getReasonCode()).isEqualTo("NO_RATE");
        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-1:v1");

        publishVoiceRate("china", "86", JAN, 30_000);
        cdrs.pipeInput("carrier-a:cdr-1", correctionToChina);

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId, RatedCharge::getCostMicros)
                .containsExactly(tuple("reversal:cdr:carrier-a:cdr-1:v1", -6_000L), tuple("cdr:carrier-a:cdr-1:v2", 30_000L));
    }

    @Test
    void shouldRateARejectedRecordWhenItIsReplayedAfterTheRateCardIsFixed() {
        CallDetailRecord toChina = call("cdr-1", "+861062345678", 60).build();
        cdrs.pipeInput("carrier-a:cdr-1", toChina);
        assertThat(rejected.readValue().getReasonCode()).isEqualTo("NO_RATE");

        publishVoiceRate("china", "86", JAN, 30_000);
        cdrs.pipeInput("carrier-a:cdr-1", toChina);
        cdrs.pipeInput("carrier-a:cdr-1", toChina);

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-1:v1");
    }

    @Test
    void shouldReKeyCdrsPublishedUnderAnotherKeySoDuplicatesStillMeet() {
        publishVoiceRate("nanp", "1", JAN, 6_000);
        CallDetailRecord cdr = call("cdr-1", US_NUMBER, 60).build();

        cdrs.pipeInput("some-call-id", cdr);
        cdrs.pipeInput(null, cdr);
        cdrs.pipeInput(ChargeIds.cdrKey("carrier-a", "cdr-1"), cdr);

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-1:v1");
    }

    @Test
    void shouldRateARepeatAsNewOnceTheRetentionHasPassed() {
        restartWith(MeteringConfig.DEDUP_RETENTION_MS, String.valueOf(Duration.ofHours(1).toMillis()));
        publishVoiceRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", US_NUMBER, 60));
        driver.advanceWallClockTime(Duration.ofMinutes(59));
        pipe(call("cdr-1", US_NUMBER, 60));
        driver.advanceWallClockTime(Duration.ofMinutes(62));
        pipe(call("cdr-1", US_NUMBER, 60));

        // Within the retention the repeat is dropped; past it, the store no longer remembers the CDR.
        assertThat(rated.readValuesToList()).hasSize(2);
    }

    // ---- messaging ------------------------------------------------------------------------------

    @Test
    void shouldRateSmsPerSegmentInBothDirections() {
        publishMessageRate(UsageType.SMS, Direction.OUTBOUND, "1", 7_900);
        publishMessageRate(UsageType.SMS, Direction.INBOUND, "1", 7_900);

        pipe(sms("m-1", Direction.OUTBOUND, "a".repeat(161)));
        pipe(sms("m-2", Direction.INBOUND, "Hi"));
        pipe(sms("m-3", Direction.OUTBOUND, "Caf\u00e9 \ud83d\ude00 " + "\u00fc".repeat(63)));

        // 161 GSM-7 characters: 2 segments of 153; "Hi": 1; the emoji (2 UTF-16 units) forces UCS-2:
        // 8 + 63 = 71 units, over the single segment's 70 -> 2 segments of up to 67.
        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId, RatedCharge::getBillableQuantity,
                        RatedCharge::getCostMicros, RatedCharge::getPriceMicros, RatedCharge::getQuantityUnit)
                .containsExactly(
                        tuple("msg:m-1", 2L, 15_800L, 16_590L, QuantityUnit.SEGMENT),
                        tuple("msg:m-2", 1L, 7_900L, 8_295L, QuantityUnit.SEGMENT),
                        tuple("msg:m-3", 2L, 15_800L, 16_590L, QuantityUnit.SEGMENT));
    }

    @Test
    void shouldCountSegmentsFromTheLengthWhenTheBodyIsWithheld() {
        publishMessageRate(UsageType.SMS, Direction.OUTBOUND, "1", 7_900);

        pipe(sms("m-1", Direction.OUTBOUND, null).setBodyLength(307).setEncoding(TextEncoding.GSM7));

        assertThat(rated.readValue().getBillableQuantity()).isEqualTo(3);
    }

    @Test
    void shouldRateMmsPerMessageAndOutboundEmailButRecordInboundEmailAsNotBillable() {
        publishMessageRate(UsageType.MMS, Direction.OUTBOUND, "1", 20_000);
        publishMessageRate(UsageType.EMAIL, Direction.OUTBOUND, "", 1_000);

        pipe(sms("m-1", Direction.OUTBOUND, "picture").setChannel(MessageChannel.MMS));
        pipe(email("e-1", Direction.OUTBOUND));
        pipe(email("e-2", Direction.INBOUND));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId, RatedCharge::getUsageType,
                        RatedCharge::getCostMicros, RatedCharge::getPriceMicros, RatedCharge::getBillable)
                .containsExactly(
                        tuple("msg:m-1", UsageType.MMS, 20_000L, 21_000L, true),
                        tuple("msg:e-1", UsageType.EMAIL, 1_000L, 1_050L, true),
                        tuple("msg:e-2", UsageType.EMAIL, 0L, 0L, false));
    }

    @Test
    void shouldDropARepeatedMessageEvent() {
        publishMessageRate(UsageType.SMS, Direction.OUTBOUND, "1", 7_900);

        pipe(sms("m-1", Direction.OUTBOUND, "Hi"));
        pipe(sms("m-1", Direction.OUTBOUND, "Hi"));
        messages.pipeInput("published-under-another-key", sms("m-1", Direction.OUTBOUND, "Hi").build());

        assertThat(rated.readValuesToList()).hasSize(1);
        assertThat(metric("metering-message-duplicate-total")).isEqualTo(2.0);
        assertThat(meterRegistry.get(MeteringMeters.DUPLICATES).counter().count()).isEqualTo(2.0);
        assertThat(counter(MeteringMeters.RATED, "usage_type", "SMS")).isEqualTo(1.0);
    }

    @Test
    void shouldRejectAnSmsWithNeitherBodyNorLength() {
        publishMessageRate(UsageType.SMS, Direction.OUTBOUND, "1", 7_900);

        pipe(sms("m-1", Direction.OUTBOUND, null));

        DeadLetter rejection = rejected.readValue();
        assertThat(rejection.getReasonCode()).isEqualTo("INVALID_MESSAGE");
        assertThat(rejection.getSourceTopic()).isEqualTo("metering.messages.raw");
    }

    // ---- unreadable records ---------------------------------------------------------------------

    /**
     * TopologyTestDriver 4.3.1 drops a dead letter sent inside an exactly-once transaction (it clears
     * uncommitted sends before the next input), so the dead letter's contents are checked under
     * at-least-once; PipelineIT checks them under exactly-once on a real broker.
     */
    @Test
    void shouldDeadLetterGarbageWithOriginalBytesAndHeadersWhenACdrCannotBeRead() {
        restartWith(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        publishVoiceRate("nanp", "1", JAN, 6_000);
        byte[] key = "carrier-a:garbage".getBytes(StandardCharsets.UTF_8);
        // Magic byte 0 and a schema id no registry knows, then noise.
        byte[] garbage = {0x00, 0x00, 0x00, 0x7f, 0x13, (byte) 0xff, 0x42};

        rawCdrs.pipeInput(key, garbage);
        pipe(call("cdr-2", US_NUMBER, 60));

        TestRecord<byte[], byte[]> deadLetter = deadLetters.readRecord();
        assertThat(deadLetter.key()).isEqualTo(key);
        assertThat(deadLetter.value()).isEqualTo(garbage);
        Headers headers = deadLetter.headers();
        assertThat(header(headers, "__streams.errors.topic")).isEqualTo("metering.cdr.raw");
        assertThat(header(headers, "__streams.errors.partition")).isEqualTo("0");
        assertThat(header(headers, "__streams.errors.offset")).isEqualTo("0");
        assertThat(header(headers, "__streams.errors.exception")).contains("SchemaRegistryException");
        assertThat(header(headers, "__streams.errors.message")).contains("32531");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(rejected.isEmpty()).isTrue();
        assertThat(rated.readValue().getChargeId()).isEqualTo("cdr:carrier-a:cdr-2:v1");
        assertThat(meterRegistry.get(MeteringMeters.DEAD_LETTERS).functionCounter().count()).isEqualTo(1.0);
        assertThat(meterRegistry.get(MeteringMeters.REJECTED).counters()).allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void shouldKeepRatingUnderExactlyOnceWhenACdrCannotBeRead() {
        publishVoiceRate("nanp", "1", JAN, 6_000);

        rawCdrs.pipeInput("carrier-a:garbage".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        pipe(call("cdr-2", US_NUMBER, 60));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-2:v1");
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void shouldRateWhenGlobalStoresKeepHeaders() {
        restartWith(StreamsConfig.DSL_STORE_FORMAT_CONFIG, StreamsConfig.DSL_STORE_FORMAT_HEADERS);
        publishVoiceRate("nanp", "1", JAN, 6_000);
        publishSettings("sa-1", true, true, 15_000);

        pipe(call("cdr-1", US_NUMBER, 60));

        assertThat(rated.readValue().getPriceMicros()).isEqualTo(9_000);
    }

    @Test
    void shouldNameEveryNodeStoreAndInternalTopic() {
        String description = MeteringTopology.build(topics).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-");
        assertThat(description).contains(MeteringTopology.RATE_CARD_TABLE, MeteringTopology.REBILLING_SETTINGS_TABLE,
                UsageRatingProcessor.RATE_CARD_STORE, UsageRatingProcessor.REBILLING_SETTINGS_STORE,
                MeteringTopology.CDR_DEDUP_STORE, MeteringTopology.MESSAGE_DEDUP_STORE,
                "metering-cdr-by-identity-repartition", "metering-cdr-rate", "metering-message-rate",
                "metering-charges-rated-sink", "metering-charges-rejected-sink");
    }

    // ---- fixtures -------------------------------------------------------------------------------

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private static RateCardEntry voiceRate(String rateId, String prefix, Instant validFrom, long unitPriceMicros,
                                           int first, int next, long connectFeeMicros, long unansweredFeeMicros) {
        return RateCardEntry.newBuilder().setRateId(rateId).setVersion(1).setUsageType(UsageType.VOICE)
                .setDirection(Direction.OUTBOUND).setDestinationPrefix(prefix).setCurrency("USD")
                .setUnitPriceMicros(unitPriceMicros).setFirstIncrementSeconds(first).setNextIncrementSeconds(next)
                .setConnectFeeMicros(connectFeeMicros).setUnansweredCallFeeMicros(unansweredFeeMicros)
                .setValidFrom(validFrom).build();
    }

    private void publishVoiceRate(String rateId, String prefix, Instant validFrom, long unitPriceMicros, int first,
                                  int next, long connectFeeMicros, long unansweredFeeMicros) {
        RateCardEntry entry = voiceRate(rateId, prefix, validFrom, unitPriceMicros, first, next, connectFeeMicros,
                unansweredFeeMicros);
        rateCard.pipeInput(RateCardKey.of(entry), entry);
    }

    /** A per-second rate, so the cost is easy to follow. */
    private void publishVoiceRate(String rateId, String prefix, Instant validFrom, long unitPriceMicros) {
        publishVoiceRate(rateId, prefix, validFrom, unitPriceMicros, 1, 1, 0, 0);
    }

    private void publishMessageRate(UsageType type, Direction direction, String prefix, long unitPriceMicros) {
        RateCardEntry entry = RateCardEntry.newBuilder().setRateId(type + "-" + direction + "-" + prefix)
                .setVersion(1).setUsageType(type).setDirection(direction).setDestinationPrefix(prefix)
                .setCurrency("USD").setUnitPriceMicros(unitPriceMicros).setValidFrom(JAN).build();
        rateCard.pipeInput(RateCardKey.of(entry), entry);
    }

    private void publishSettings(String subAccountId, boolean enabled, boolean markupAllowed, int multiplier) {
        RebillingSettings settings = RebillingSettings.newBuilder()
                .setWorkspaceId("ws-1")
                .setSubAccountId(subAccountId)
                .setRebillingEnabled(enabled)
                .setMarkupAllowed(markupAllowed)
                .setVoiceMultiplierBasisPoints(multiplier)
                .setVoiceAiMultiplierBasisPoints(multiplier)
                .setSmsMultiplierBasisPoints(multiplier)
                .setMmsMultiplierBasisPoints(multiplier)
                .setEmailMultiplierBasisPoints(multiplier)
                .setUpdatedAt(JAN)
                .build();
        rebillingSettings.pipeInput(RebillingSettingsKey.of(settings), settings);
    }

    private static CallDetailRecord.Builder call(String cdrId, String toNumber, int billableSeconds) {
        return CallDetailRecord.newBuilder()
                .setCarrierId("carrier-a")
                .setCdrId(cdrId)
                .setVersion(1)
                .setWorkspaceId("ws-1")
                .setSubAccountId("sa-1")
                .setCallId("call-" + cdrId)
                .setService(CallService.VOICE)
                .setDirection(Direction.OUTBOUND)
                .setFromNumber("+12125550100")
                .setToNumber(toNumber)
                .setStartTime(MARCH_CALL)
                .setAnswerTime(MARCH_CALL.plusSeconds(3))
                .setEndTime(MARCH_CALL.plusSeconds(3L + Math.max(0, billableSeconds)))
                .setBillableSeconds(billableSeconds)
                .setDisposition(CallDisposition.ANSWERED);
    }

    private static MessageEvent.Builder sms(String eventId, Direction direction, String body) {
        return MessageEvent.newBuilder().setEventId(eventId).setWorkspaceId("ws-1").setSubAccountId("sa-1")
                .setChannel(MessageChannel.SMS).setDirection(direction)
                .setFromAddress(direction == Direction.OUTBOUND ? "+12125550100" : US_NUMBER)
                .setToAddress(direction == Direction.OUTBOUND ? US_NUMBER : "+12125550100")
                .setBody(body).setTimestamp(MARCH_CALL);
    }

    private static MessageEvent.Builder email(String eventId, Direction direction) {
        return MessageEvent.newBuilder().setEventId(eventId).setWorkspaceId("ws-1").setSubAccountId("sa-1")
                .setChannel(MessageChannel.EMAIL).setDirection(direction)
                .setFromAddress("clinic@example.com").setToAddress("patient@example.org")
                .setBody("Your appointment is confirmed").setTimestamp(MARCH_CALL);
    }

    private void pipe(CallDetailRecord.Builder call) {
        CallDetailRecord cdr = call.build();
        cdrs.pipeInput(ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr);
    }

    private void pipe(MessageEvent.Builder message) {
        MessageEvent event = message.build();
        messages.pipeInput(event.getEventId(), event);
    }

    /** A counter of {@link MeteringMeters} with one tag. */
    private double counter(String name, String tag, String value) {
        return meterRegistry.get(name).tag(tag, value).counter().count();
    }

    private double metric(String name) {
        Map<String, Double> totals = new HashMap<>();
        driver.metrics().forEach((metricName, metric) -> {
            if (metricName.group().equals("stream-" + UsageRatingProcessor.METRICS_SCOPE + "-metrics")
                    && metricName.name().equals(name)) {
                totals.merge(name, ((Number) metric.metricValue()).doubleValue(), Double::sum);
            }
        });
        return totals.getOrDefault(name, 0.0);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
