package io.rebill.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three operations routes over real HTTP, with a Kafka Streams state the test sets. */
class MetricsHttpServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final ServiceMetrics metrics = ServiceMetrics.create("test-service", "host-1");
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), metrics,
                StreamsMonitoring.probe(state::get)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void shouldServeMetricsInPrometheusTextFormat() throws Exception {
        Counter.builder("rebill.test.things").register(metrics.registry()).increment(2);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusText.value(response.body(), "rebill_test_things_total", Map.of("service", "test-service")))
                .hasValue(2.0);
    }

    @Test
    void shouldBeNeitherLiveNorReadyBeforeTheStreamsStart() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(503);
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("state").asText()).isEqualTo("CREATED");
    }

    @Test
    void shouldBeLiveButNotReadyWhileRebalancing() throws Exception {
        state.set(KafkaStreams.State.REBALANCING);

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).path("state").asText()).isEqualTo("REBALANCING");
    }

    @Test
    void shouldBeReadyOnceRunning() throws Exception {
        state.set(KafkaStreams.State.RUNNING);

        HttpResponse<String> ready = get("/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void shouldBeNeitherLiveNorReadyAfterAnError() throws Exception {
        state.set(KafkaStreams.State.ERROR);

        assertThat(get("/health").statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(get("/health").body()).path("state").asText()).isEqualTo("ERROR");
        assertThat(get("/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldRefuseOtherMethodsAndPaths() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/metricsz").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
