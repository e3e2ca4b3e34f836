package io.rebill.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.metering.processor.CdrRatingProcessor;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.metering.rating.RebillingSettingsKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
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
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteringTopologyTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-03-16T08:00:00Z");
    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant JUL = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant MARCH_CALL = Instant.parse("2026-03-15T12:00:00Z");

    @TempDir
    Path stateDir;

    private final String registryScope = "metering-topology-" + UUID.randomUUID();
    private Topics topics;
    private TopologyTestDriver driver;
    private TestInputTopic<String, CallDetailRecord> cdrs;
    private TestInputTopic<byte[], byte[]> rawCdrs;
    private TestInputTopic<String, RateCardEntry> rateCard;
    private TestInputTopic<String, RebillingSettings> rebillingSettings;
    private TestOutputTopic<String, RatedCharge> rated;
    private TestOutputTopic<String, DeadLetter> rejected;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver() {
        start(new Properties());
    }

    private void start(Properties extra) {
        Properties overrides = new Properties();
        overrides.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, MockSchemaRegistry.URL_PREFIX + registryScope);
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        overrides.putAll(extra);
        Properties config = MeteringApp.config(overrides);
        topics = Topics.create(io.rebill.config.ServiceConfig.asMap(config));
        driver = new TopologyTestDriver(MeteringTopology.build(topics, config), config, WALL_CLOCK);

        cdrs = driver.createInputTopic(topics.cdrRaw.name(), topics.cdrRaw.keySerde().serializer(),
                topics.cdrRaw.valueSerde().serializer());
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
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        MockSchemaRegistry.dropScope(registryScope);
    }

    private void publishRate(String rateId, String prefix, Instant validFrom, long unitPriceMicros, int first,
                             int next, long connectFeeMicros) {
        RateCardEntry entry = RateCardEntry.newBuilder()
                .setRateId(rateId)
                .setVersion(1)
                .setUsageType(UsageType.VOICE)
                .setDirection(Direction.OUTBOUND)
                .setDestinationPrefix(prefix)
                .setCurrency("USD")
                .setUnitPriceMicros(unitPriceMicros)
                .setFirstIncrementSeconds(first)
                .setNextIncrementSeconds(next)
                .setConnectFeeMicros(connectFeeMicros)
                .setValidFrom(validFrom)
                .build();
        rateCard.pipeInput(RateCardKey.of(entry), entry);
    }

    /** A per-second rate, so the cost is easy to follow. */
    private void publishRate(String rateId, String prefix, Instant validFrom, long unitPriceMicros) {
        publishRate(rateId, prefix, validFrom, unitPriceMicros, 1, 1, 0);
    }

    private void publishSettings(String subAccountId, int voiceMultiplierBasisPoints) {
        RebillingSettings settings = RebillingSettings.newBuilder()
                .setWorkspaceId("ws-1")
                .setSubAccountId(subAccountId)
                .setRebillingEnabled(true)
                .setVoiceMultiplierBasisPoints(voiceMultiplierBasisPoints)
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
                .setEndTime(MARCH_CALL.plusSeconds(3L + billableSeconds))
                .setBillableSeconds(billableSeconds)
                .setDisposition(CallDisposition.ANSWERED);
    }

    private void pipe(CallDetailRecord.Builder call) {
        CallDetailRecord cdr = call.build();
        cdrs.pipeInput(cdr.getCarrierId() + ":" + cdr.getCdrId(), cdr);
    }

    @Test
    void shouldRateAnsweredCallWithExactCostAndPriceWhenSubAccountIsRebilled() {
        // 30/6 increments, $0.013 a minute, $0.00025 connect fee.
        publishRate("jm-2026", "1876", JAN, 13_000, 30, 6, 250);
        publishSettings("sa-1", 10_500);

        pipe(call("cdr-1", "+18765550123", 47));

        // Billed: 30 + ceil((47 - 30) / 6) * 6 = 48 s. Cost: 48 * 13,000 / 60 = 10,400 micros, + 250 = 10,650.
        // Price: 10,650 * 10,500 / 10,000 = 11,182.5 -> 11,183 micros (half up).
        TestRecord<String, RatedCharge> charge = rated.readRecord();
        assertThat(charge.key()).isEqualTo("ws-1");
        assertThat(charge.value()).isEqualTo(RatedCharge.newBuilder()
                .setChargeId("cdr:carrier-a:cdr-1:v1")
                .setSourceRef("cdr:carrier-a/cdr-1/v1")
                .setWorkspaceId("ws-1")
                .setSubAccountId("sa-1")
                .setUsageType(UsageType.VOICE)
                .setQuantityUnit(QuantityUnit.SECOND)
                .setRawQuantity(47)
                .setBillableQuantity(48)
                .setCurrency("USD")
                .setCostMicros(10_650)
                .setPriceMicros(11_183)
                .setRebilled(true)
                .setMultiplierBasisPoints(10_500)
                .setRateId("jm-2026")
                .setRateVersion(1)
                .setEventTime(MARCH_CALL)
                .setRatedAt(WALL_CLOCK)
                .build());
        assertThat(rated.isEmpty()).isTrue();
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void shouldRateOnLongestPrefixWhenShorterPrefixAlsoMatches() {
        publishRate("nanp", "1", JAN, 6_000);
        publishRate("jamaica", "1876", JAN, 120_000);

        pipe(call("cdr-1", "+18765550123", 60));
        pipe(call("cdr-2", "+12125550123", 60));

        List<RatedCharge> charges = rated.readValuesToList();
        assertThat(charges).extracting(RatedCharge::getRateId, RatedCharge::getCostMicros)
                .containsExactly(Tuple.tuple("jamaica", 120_000L),
                        Tuple.tuple("nanp", 6_000L));
    }

    @Test
    void shouldUseEntryValidAtCallStartWhenALaterEntryExists() {
        publishRate("uk-jan", "44", JAN, 20_000);
        publishRate("uk-jul", "44", JUL, 30_000);

        pipe(call("cdr-1", "+442079460958", 60));
        pipe(call("cdr-2", "+442079460958", 60).setStartTime(JUL.plusSeconds(60)).setEndTime(JUL.plusSeconds(123)));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getRateId).containsExactly("uk-jan", "uk-jul");
    }

    @Test
    void shouldPriceWithSubAccountSettingsWhenWorkspaceDefaultAlsoExists() {
        publishRate("nanp", "1", JAN, 6_000);
        publishSettings(null, 20_000);
        publishSettings("sa-1", 12_000);

        pipe(call("cdr-1", "+12125550123", 60));
        pipe(call("cdr-2", "+12125550123", 60).setSubAccountId("sa-2"));

        List<RatedCharge> charges = rated.readValuesToList();
        // 6,000 micros * 1.2 for sa-1's own settings; * 2.0 for sa-2 under the workspace default.
        assertThat(charges).extracting(RatedCharge::getSubAccountId, RatedCharge::getMultiplierBasisPoints,
                        RatedCharge::getPriceMicros)
                .containsExactly(Tuple.tuple("sa-1", 12_000, 7_200L),
                        Tuple.tuple("sa-2", 20_000, 12_000L));
    }

    @Test
    void shouldChargeCostOnlyWhenNoSettingsExist() {
        publishRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", "+12125550123", 60));

        RatedCharge charge = rated.readValue();
        assertThat(charge.getCostMicros()).isEqualTo(6_000);
        assertThat(charge.getPriceMicros()).isZero();
        assertThat(charge.getRebilled()).isFalse();
        assertThat(charge.getMultiplierBasisPoints()).isEqualTo(10_000);
    }

    @Test
    void shouldEmitNothingAndCountItWhenCallWasNotAnswered() {
        publishRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", "+12125550123", 0).setDisposition(CallDisposition.NO_ANSWER));

        assertThat(rated.isEmpty()).isTrue();
        assertThat(rejected.isEmpty()).isTrue();
        assertThat(metric("not-billable-total")).isEqualTo(1.0);
    }

    @Test
    void shouldRejectWithNoRateAndSourceCoordinatesWhenDestinationHasNoRate() {
        publishRate("nanp", "1", JAN, 6_000);
        pipe(call("cdr-1", "+12125550123", 60));
        CallDetailRecord toGermany = call("cdr-2", "+4915123456789", 60).build();

        cdrs.pipeInput("carrier-a:cdr-2", toGermany);

        TestRecord<String, DeadLetter> rejection = rejected.readRecord();
        DeadLetter deadLetter = rejection.value();
        assertThat(rejection.key()).isEqualTo("carrier-a:cdr-2");
        assertThat(deadLetter.getReasonCode()).isEqualTo("NO_RATE");
        assertThat(deadLetter.getReason()).contains("+4915123456789");
        assertThat(deadLetter.getSourceTopic()).isEqualTo("metering.cdr.raw");
        assertThat(deadLetter.getSourcePartition()).isZero();
        assertThat(deadLetter.getSourceOffset()).isEqualTo(1);
        assertThat(deadLetter.getApplication()).isEqualTo(MeteringApp.APPLICATION_ID);
        assertThat(deadLetter.getFailedAt()).isEqualTo(WALL_CLOCK);
        assertThat(bytes(deadLetter.getKey())).isEqualTo("carrier-a:cdr-2".getBytes(StandardCharsets.UTF_8));
        assertThat(topics.cdrRaw.valueSerde().deserializer().deserialize(topics.cdrRaw.name(),
                bytes(deadLetter.getValue()))).isEqualTo(toGermany);
        assertThat(rated.readValuesToList()).hasSize(1);
        assertThat(metric("rejected-total")).isEqualTo(1.0);
    }

    @Test
    void shouldIgnoreRateEntryWhenItIsNotKeyedByRateCardKey() {
        RateCardEntry handKeyed = RateCardEntry.newBuilder()
                .setRateId("hand-keyed")
                .setUsageType(UsageType.VOICE)
                .setDirection(Direction.OUTBOUND)
                .setDestinationPrefix("1")
                .setCurrency("USD")
                .setUnitPriceMicros(6_000)
                .setValidFrom(JAN)
                .build();
        // Unpadded validFrom: it still falls inside the key range of prefix "1" for a March call.
        rateCard.pipeInput("VOICE:OUTBOUND:1:0", handKeyed);

        pipe(call("cdr-1", "+12125550123", 60));

        assertThat(rated.isEmpty()).isTrue();
        assertThat(rejected.readValue().getReasonCode()).isEqualTo("NO_RATE");
    }

    @Test
    void shouldRejectAsInvalidCdrWhenRecordHasNoValue() {
        cdrs.pipeInput("carrier-a:cdr-1", null);

        TestRecord<String, DeadLetter> rejection = rejected.readRecord();
        assertThat(rejection.key()).isEqualTo("carrier-a:cdr-1");
        assertThat(rejection.value().getReasonCode()).isEqualTo("INVALID_CDR");
        assertThat(rejection.value().getValue()).isNull();
    }

    @Test
    void shouldRejectWithInvalidNumberWhenCalledNumberCannotBeParsed() {
        publishRate("world", "", JAN, 6_000);

        pipe(call("cdr-1", "call me maybe", 60));

        DeadLetter deadLetter = rejected.readValue();
        assertThat(deadLetter.getReasonCode()).isEqualTo("INVALID_NUMBER");
        assertThat(deadLetter.getReason()).contains("call me maybe");
        assertThat(rated.isEmpty()).isTrue();
    }

    @Test
    void shouldEmitTheSameChargeIdWhenTheSameCdrIsProducedTwice() {
        publishRate("nanp", "1", JAN, 6_000);

        pipe(call("cdr-1", "+12125550123", 60));
        pipe(call("cdr-1", "+12125550123", 60));

        List<RatedCharge> charges = rated.readValuesToList();
        assertThat(charges).hasSize(2);
        assertThat(charges.get(1).getChargeId()).isEqualTo(charges.get(0).getChargeId())
                .isEqualTo("cdr:carrier-a:cdr-1:v1");
    }

    /**
     * Runs at-least-once: under exactly-once, TopologyTestDriver 4.3.1 drops the dead letter. Kafka
     * Streams sends it while the record is read ({@code StreamTask.addRecords}), inside the open
     * transaction; the driver commits only after processing a record, and the unreadable one never
     * gets that far; the next {@code pipeInput} starts with {@code MockProducer.clear()}, which
     * discards uncommitted sends. The record, its bytes and its headers are Kafka Streams' own
     * either way; only the driver's transaction bookkeeping differs.
     */
    @Test
    void shouldDeadLetterGarbageWithOriginalBytesAndHeadersWhenACdrCannotBeRead() {
        restartWith(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        publishRate("nanp", "1", JAN, 6_000);
        byte[] key = "carrier-a:garbage".getBytes(StandardCharsets.UTF_8);
        // Magic byte 0 and a schema id no registry knows, then noise.
        byte[] garbage = {0x00, 0x00, 0x00, 0x7f, 0x13, (byte) 0xff, 0x42};

        rawCdrs.pipeInput(key, garbage);
        pipe(call("cdr-2", "+12125550123", 60));

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
    }

    @Test
    void shouldKeepRatingUnderExactlyOnceWhenACdrCannotBeRead() {
        publishRate("nanp", "1", JAN, 6_000);

        rawCdrs.pipeInput("carrier-a:garbage".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        pipe(call("cdr-2", "+12125550123", 60));

        assertThat(rated.readValuesToList()).extracting(RatedCharge::getChargeId)
                .containsExactly("cdr:carrier-a:cdr-2:v1");
        assertThat(rejected.isEmpty()).isTrue();
    }

    @Test
    void shouldRateWhenGlobalStoresKeepHeaders() {
        restartWith(StreamsConfig.DSL_STORE_FORMAT_CONFIG, StreamsConfig.DSL_STORE_FORMAT_HEADERS);
        publishRate("nanp", "1", JAN, 6_000);
        publishSettings("sa-1", 15_000);

        pipe(call("cdr-1", "+12125550123", 60));

        RatedCharge charge = rated.readValue();
        assertThat(charge.getRateId()).isEqualTo("nanp");
        assertThat(charge.getPriceMicros()).isEqualTo(9_000);
    }

    @Test
    void shouldNameEveryNodeAndStoreWhenTopologyIsBuilt() {
        String description = MeteringTopology.build(topics).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-");
        assertThat(description).contains(MeteringTopology.CDR_SOURCE, MeteringTopology.RATING_PROCESSOR,
                MeteringTopology.RATE_CARD_TABLE, MeteringTopology.REBILLING_SETTINGS_TABLE,
                CdrRatingProcessor.RATE_CARD_STORE, CdrRatingProcessor.REBILLING_SETTINGS_STORE,
                CdrRatingProcessor.RATED_CHILD, CdrRatingProcessor.REJECTED_CHILD);
    }

    private double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-" + CdrRatingProcessor.METRICS_SCOPE + "-metrics"))
                .filter(e -> e.getKey().name().equals(name))
                .map(Map.Entry::getValue)
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
                .sum();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
