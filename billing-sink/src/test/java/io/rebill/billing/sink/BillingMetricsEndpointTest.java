package io.rebill.billing.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.billing.BillingConfig;
import io.rebill.billing.BillingMeters;
import io.rebill.billing.BillingSink;
import io.rebill.billing.BillingSinkApp;
import io.rebill.billing.http.BillingHttpServer;
import io.rebill.billing.refill.RefillSettler;
import io.rebill.billing.refill.WebhookSettler;
import io.rebill.metrics.PrometheusText;
import io.rebill.metrics.ServiceMetrics;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * billing-sink's {@code /metrics}, {@code /health} and {@code /ready} over real HTTP, with the refill
 * loop running on Kafka's mock consumer and producer and no Stripe key (every refill awaits an
 * offline payment).
 */
class BillingMetricsEndpointTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, String> BILLING = Map.of("service", "billing-sink", "instance", "billing-1");

    private final Topics topics = Topics.create(Map.of("schema.registry.url", "mock://billing-metrics-test"));
    private final TopicPartition partition = new TopicPartition(topics.refillRequested.name(), 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ServiceMetrics metrics = ServiceMetrics.create(BillingSink.SERVICE_NAME, "billing-1");
    private RefillRequestLoop loop;
    private BillingHttpServer server;
    private long nextOffset;

    @BeforeEach
    void start() throws Exception {
        loop = new RefillRequestLoop(consumer, producer, topics, new RefillSettler(Optional.empty(), clock),
                new MapView<PaymentMethodOnFile>(), new MapView<RefillOutcome>(), Duration.ofSeconds(30), Duration.ofHours(6),
                clock);
        BillingMeters.registerRefills(metrics.registry(), loop.counters());
        WebhookOutcomeWriter writer = new WebhookOutcomeWriter(() -> producer, topics, new WebhookSettler(clock),
                new MapView<RefillOutcome>());
        server = new BillingHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(), writer,
                BillingMeters.probe(loop), metrics).start();
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void shouldServeRefillOutcomesAndDeadLettersFromTheLoopsCounters() throws Exception {
        loop.startUp();
        consumer.rebalance(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        produce(request("refill:acme-agency:1"));
        produce(request("refill:acme-agency:2"));
        consumer.addRecord(new ConsumerRecord<>(partition.topic(), 0, nextOffset++,
                "acme-agency".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8)));
        loop.pollOnce();

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String scrape = response.body();
        assertThat(PrometheusText.value(scrape, "rebill_billing_refills_total", outcome("awaiting_offline_payment")))
                .hasValue(2.0);
        assertThat(PrometheusText.value(scrape, "rebill_billing_refills_total", outcome("succeeded"))).hasValue(0.0);
        assertThat(PrometheusText.value(scrape, "rebill_billing_refills_total", outcome("failed"))).hasValue(0.0);
        assertThat(PrometheusText.value(scrape, "rebill_billing_refills_total", outcome("unknown"))).hasValue(0.0);
        assertThat(PrometheusText.value(scrape, "rebill_billing_refills_undetermined_total", BILLING)).hasValue(0.0);
        assertThat(PrometheusText.value(scrape, "rebill_billing_dead_letters_total", BILLING)).hasValue(1.0);
        assertThat(PrometheusText.samples(scrape, "process_uptime_seconds", BILLING)).isNotEmpty();
    }

    @Test
    void shouldBeReadyOnlyOnceTheRefillLoopPolls() throws Exception {
        HttpResponse<String> created = get("/ready");
        assertThat(created.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(created.body()).path("state").asText()).isEqualTo("CREATED");
        assertThat(get("/health").statusCode()).as("not live before the loop runs").isEqualTo(503);

        loop.startUp();
        loop.pollOnce();

        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("state").asText()).isEqualTo("CONSUMING");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldBeNeitherLiveNorReadyOnceTheRefillLoopStopped() throws Exception {
        consumer.schedulePollTask(loop::close);
        Thread thread = new Thread(loop, "refill-loop-test");
        thread.start();
        thread.join(10_000);

        assertThat(thread.isAlive()).isFalse();
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).path("state").asText()).isEqualTo("STOPPED");
        assertThat(get("/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldWireTheSinksMetersAndItsRefillConsumersLag() {
        String scope = "billing-sink-metrics-" + java.util.UUID.randomUUID();
        Properties config = new Properties();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, MockSchemaRegistry.URL_PREFIX + scope);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(BillingConfig.HTTP_PORT, "-1");
        config.put(BillingConfig.INSTANCE_ID, "billing-7");
        try (BillingSink sink = BillingSink.create(BillingSinkApp.config(config))) {
            String scrape = sink.metrics().scrape();

            Map<String, String> tagged = Map.of("service", "billing-sink", "instance", "billing-7");
            assertThat(PrometheusText.samples(scrape, "rebill_billing_refills_total", tagged)).hasSize(4);
            assertThat(PrometheusText.samples(scrape, "kafka_consumer_fetch_manager_records_lag_max", tagged))
                    .as("the refill consumer's lag").isNotEmpty();
            assertThat(PrometheusText.samples(scrape, "kafka_producer_record_send_total", tagged)).isNotEmpty();
            assertThat(PrometheusText.samples(scrape, "rebill_billing_pushes_total", Map.of()))
                    .as("no push URL, no push meters").isEmpty();
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static Map<String, String> outcome(String outcome) {
        return Map.of("service", "billing-sink", "instance", "billing-1", "outcome", outcome);
    }

    private void produce(RefillRequest request) {
        byte[] value = topics.refillRequested.valueSerde().serializer().serialize(partition.topic(), request);
        consumer.addRecord(new ConsumerRecord<>(partition.topic(), 0, nextOffset++,
                request.getWorkspaceId().getBytes(StandardCharsets.UTF_8), value));
    }

    private static RefillRequest request(String id) {
        return RefillRequest.newBuilder().setRequestId(id).setWalletId("acme-agency").setWorkspaceId("acme-agency")
                .setAmountMicros(40_000_000).setCurrency("USD").setBalanceMicros(500_000)
                .setThresholdMicros(5_000_000).setRequestedAt(NOW).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
