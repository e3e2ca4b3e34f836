package io.rebill.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.config.ServiceConfig;
import io.rebill.metering.processor.MeteringMeters;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.metrics.HealthProbe;
import io.rebill.metrics.MetricsHttpServer;
import io.rebill.metrics.PrometheusText;
import io.rebill.metrics.ServiceMetrics;
import io.rebill.metrics.StreamsMonitoring;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * metering-stream's operations endpoints over real HTTP: the topology runs in a TopologyTestDriver
 * counting into the service's Prometheus registry, and the Kafka Streams state is one the test sets.
 */
class MeteringServiceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant CALL_START = Instant.parse("2026-03-15T12:00:00Z");
    private static final Map<String, String> SERVICE = Map.of("service", "metering-stream", "instance", "test-1");

    @TempDir
    Path stateDir;

    private final String registryScope = "metering-service-" + UUID.randomUUID();
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private Properties config;
    private ServiceMetrics metrics;
    private TopologyTestDriver driver;
    private MetricsHttpServer http;

    @BeforeEach
    void start() throws Exception {
        Properties overrides = new Properties();
        overrides.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, MockSchemaRegistry.URL_PREFIX + registryScope);
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config = MeteringApp.config(overrides);
        metrics = ServiceMetrics.create(MeteringService.SERVICE_NAME, "test-1");
        MeteringMeters meters = new MeteringMeters(metrics.registry());
        Topics topics = Topics.create(ServiceConfig.asMap(config));
        driver = new TopologyTestDriver(MeteringTopology.build(topics, config, meters), config,
                Instant.parse("2026-03-16T08:00:00Z"));
        meters.countDeadLetters(driver, TopologyTestDriver::metrics);
        http = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), metrics,
                StreamsMonitoring.probe(state::get)).start();

        RateCardEntry rate = RateCardEntry.newBuilder().setRateId("nanp").setVersion(1).setUsageType(UsageType.VOICE)
                .setDirection(Direction.OUTBOUND).setDestinationPrefix("1").setCurrency("USD")
                .setUnitPriceMicros(6_000).setFirstIncrementSeconds(1).setNextIncrementSeconds(1)
                .setConnectFeeMicros(0).setUnansweredCallFeeMicros(0).setValidFrom(JAN).build();
        driver.createInputTopic(topics.rateCard.name(), topics.rateCard.keySerde().serializer(),
                topics.rateCard.valueSerde().serializer()).pipeInput(RateCardKey.of(rate), rate);
        RebillingSettings settings = RebillingSettings.newBuilder().setWorkspaceId("ws-1").setSubAccountId(null)
                .setRebillingEnabled(true).setMarkupAllowed(true).setVoiceMultiplierBasisPoints(10_500)
                .setVoiceAiMultiplierBasisPoints(10_500).setSmsMultiplierBasisPoints(10_500)
                .setMmsMultiplierBasisPoints(10_500).setEmailMultiplierBasisPoints(10_500).setUpdatedAt(JAN).build();
        driver.createInputTopic(topics.rebillingSettings.name(), topics.rebillingSettings.keySerde().serializer(),
                topics.rebillingSettings.valueSerde().serializer()).pipeInput(RebillingSettingsKey.of(settings), settings);

        var cdrs = driver.createInputTopic(topics.cdrRaw.name(), topics.cdrRaw.keySerde().serializer(),
                topics.cdrRaw.valueSerde().serializer());
        for (CallDetailRecord cdr : new CallDetailRecord[] {
                call("cdr-1", "+12125550123"), call("cdr-1", "+12125550123"), call("cdr-2", "+861062345678")}) {
            cdrs.pipeInput(ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr);
        }
        driver.createInputTopic(topics.cdrRaw.name(), new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput("garbage".getBytes(), new byte[] {1, 2, 3});
    }

    @AfterEach
    void stop() {
        http.close();
        driver.close();
        metrics.close();
        MockSchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldServeRatedRejectedDuplicateAndDeadLetterCountsOnMetrics() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ServiceMetrics.CONTENT_TYPE);
        String scrape = response.body();
        assertThat(PrometheusText.value(scrape, "rebill_metering_records_rated_total", with("usage_type", "VOICE")))
                .hasValue(1.0);
        assertThat(PrometheusText.value(scrape, "rebill_metering_records_rated_total", with("usage_type", "SMS")))
                .hasValue(0.0);
        assertThat(PrometheusText.value(scrape, "rebill_metering_records_rejected_total", with("reason", "NO_RATE")))
                .hasValue(1.0);
        assertThat(PrometheusText.value(scrape, "rebill_metering_duplicates_skipped_total", SERVICE)).hasValue(1.0);
        assertThat(PrometheusText.value(scrape, "rebill_metering_records_not_billable_total", SERVICE)).hasValue(0.0);
        assertThat(PrometheusText.value(scrape, "rebill_metering_dead_letters_total", SERVICE)).hasValue(1.0);
        assertThat(PrometheusText.samples(scrape, "jvm_memory_used_bytes", SERVICE)).isNotEmpty();
    }

    @Test
    void shouldAnswerReadyOnlyOnceTheStreamsRun() throws Exception {
        assertThat(get("/ready").statusCode()).isEqualTo(503);

        state.set(KafkaStreams.State.REBALANCING);
        assertThat(get("/health").statusCode()).as("live while rebalancing").isEqualTo(200);
        HttpResponse<String> rebalancing = get("/ready");
        assertThat(rebalancing.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(rebalancing.body()).path("state").asText()).isEqualTo("REBALANCING");

        state.set(KafkaStreams.State.RUNNING);
        HttpResponse<String> running = get("/ready");
        assertThat(running.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(running.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("state").asText()).isEqualTo("RUNNING");

        state.set(KafkaStreams.State.ERROR);
        assertThat(get("/health").statusCode()).as("down after a fatal error").isEqualTo(503);
        assertThat(get("/ready").statusCode()).isEqualTo(503);
    }

    /** Not started: KafkaStreams.start() waits for its global stores, which need a broker (PipelineIT has one). */
    @Test
    void shouldBindItsOwnAndKafkaStreamsMetricsAndReportNotReadyBeforeStart() {
        Properties service = new Properties();
        service.putAll(config);
        service.put(MeteringConfig.HTTP_PORT, "0");
        service.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("service").toString());

        try (MeteringService metering = MeteringApp.createService(service)) {
            String scrape = metering.metrics().scrape();
            Map<String, String> tagged = Map.of("service", "metering-stream");
            assertThat(PrometheusText.value(scrape, "rebill_metering_records_rated_total",
                    Map.of("service", "metering-stream", "usage_type", "VOICE"))).hasValue(0.0);
            assertThat(PrometheusText.value(scrape, "rebill_metering_dead_letters_total", tagged)).hasValue(0.0);
            assertThat(PrometheusText.samples(scrape, "kafka_stream_thread_process_total", tagged)).isNotEmpty();
            assertThat(PrometheusText.samples(scrape, "kafka_consumer_fetch_manager_records_lag_max", tagged))
                    .isNotEmpty();
            HealthProbe.Health health = MeteringService.probe(metering.streams()).check();
            assertThat(health.ready()).isFalse();
            assertThat(health.live()).isFalse();
            assertThat(health.state()).isEqualTo("CREATED");
        }
    }

    @Test
    void shouldStartNoHttpServerWhenThePortIsMinusOne() {
        Properties service = new Properties();
        service.putAll(config);
        service.put(MeteringConfig.HTTP_PORT, "-1");

        try (MeteringService metering = MeteringApp.createService(service)) {
            assertThat(metering.httpPort()).isEqualTo(-1);
        }
    }

    private static Map<String, String> with(String tag, String value) {
        return Map.of("service", "metering-stream", "instance", "test-1", tag, value);
    }

    private static CallDetailRecord call(String cdrId, String toNumber) {
        return CallDetailRecord.newBuilder().setCarrierId("carrier-a").setCdrId(cdrId).setVersion(1)
                .setWorkspaceId("ws-1").setSubAccountId("sa-1").setCallId("call-" + cdrId)
                .setService(CallService.VOICE).setDirection(Direction.OUTBOUND).setFromNumber("+12125550100")
                .setToNumber(toNumber).setStartTime(CALL_START).setAnswerTime(CALL_START.plusSeconds(3))
                .setEndTime(CALL_START.plusSeconds(63)).setBillableSeconds(60)
                .setDisposition(CallDisposition.ANSWERED).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(http.port(), path);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
