package io.rebill.wallet.http;

import static io.rebill.wallet.http.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.metrics.PrometheusText;
import io.rebill.metrics.ServiceMetrics;
import io.rebill.metrics.StreamsMonitoring;
import io.rebill.wallet.http.TestHttp.Response;
import io.rebill.wallet.processor.WalletMeters;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics}, {@code /health} and {@code /ready} of the wallet HTTP API, over real HTTP. */
class WalletMetricsEndpointTest {

    private static final Map<String, String> WALLET = Map.of("service", "wallet-stream", "instance", "wallet-1");

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final ServiceMetrics metrics = ServiceMetrics.create("wallet-stream", "wallet-1");
    private final WalletMeters meters = new WalletMeters(metrics.registry());
    private WalletHttpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new WalletHttpServer(new InetSocketAddress("127.0.0.1", 0),
                new FakeReadModel().workspace("acme-agency", "acme-dental", 3), FakeOwners.alwaysSelf(),
                StreamsMonitoring.probe(state::get), metrics, 2);
        server.start();
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void shouldServeTheWalletMetersInPrometheusTextFormat() {
        meters.chargeApplied();
        meters.chargeApplied();
        meters.chargeApplied();
        meters.refillsRequested(1);
        meters.rejected("CURRENCY_MISMATCH");
        meters.gaugeOnHold(() -> 2);

        Response response = get(port, "/metrics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String scrape = response.body();
        assertThat(PrometheusText.value(scrape, "rebill_wallet_charges_applied_total", WALLET)).hasValue(3.0);
        assertThat(PrometheusText.value(scrape, "rebill_wallet_refills_requested_total", WALLET)).hasValue(1.0);
        assertThat(PrometheusText.value(scrape, "rebill_wallet_rejected_total",
                Map.of("service", "wallet-stream", "reason", "CURRENCY_MISMATCH"))).hasValue(1.0);
        assertThat(PrometheusText.value(scrape, "rebill_wallet_sub_accounts_on_hold", WALLET)).hasValue(2.0);
        assertThat(PrometheusText.samples(scrape, "jvm_threads_live_threads", WALLET)).isNotEmpty();
    }

    @Test
    void shouldBeNotReadyUntilTheStreamsRunAndLiveWhileTheyRebalance() {
        assertThat(get(port, "/ready").status()).isEqualTo(503);
        assertThat(get(port, "/health").status()).isEqualTo(503);

        state.set(KafkaStreams.State.REBALANCING);
        Response rebalancing = get(port, "/ready");
        assertThat(rebalancing.status()).isEqualTo(503);
        assertThat(rebalancing.json().get("state").asText()).isEqualTo("REBALANCING");
        assertThat(get(port, "/health").json().get("status").asText()).isEqualTo("UP");

        state.set(KafkaStreams.State.RUNNING);
        Response running = get(port, "/ready");
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.header("Content-Type")).isEqualTo("application/json");
        assertThat(running.json().get("status").asText()).isEqualTo("UP");
        assertThat(running.json().get("state").asText()).isEqualTo("RUNNING");
        assertThat(get(port, "/health").status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseToChangeMetricsWith405() {
        Response response = TestHttp.send(port, "POST", "/metrics");

        assertThat(response.status()).isEqualTo(405);
    }

    @Test
    void shouldAnswer404ForMetricsWhenTheServerHasNone() throws Exception {
        try (WalletHttpServer bare = new WalletHttpServer(new InetSocketAddress("127.0.0.1", 0), new FakeReadModel(),
                FakeOwners.alwaysSelf(), () -> true)) {
            bare.start();

            assertThat(get(bare.port(), "/metrics").status()).isEqualTo(404);
            assertThat(get(bare.port(), "/ready").status()).isEqualTo(200);
        }
    }
}
