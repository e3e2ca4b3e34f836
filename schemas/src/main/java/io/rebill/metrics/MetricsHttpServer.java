package io.rebill.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints of a service that has no HTTP API of its own (metering-stream), and the
 * same three routes for services that have one ({@link #serve}):
 *
 * <table>
 *   <caption>Routes (GET only)</caption>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text format 0.0.4 ({@link ServiceMetrics#CONTENT_TYPE})</td></tr>
 *   <tr><td>{@code /health}</td><td>liveness: 200 {@code {"status":"UP","state":...}}, 503 DOWN</td></tr>
 *   <tr><td>{@code /ready}</td><td>readiness: 200 {@code {"status":"UP","state":...}}, 503 DOWN</td></tr>
 * </table>
 */
public final class MetricsHttpServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String HEALTH_PATH = "/health";
    public static final String READY_PATH = "/ready";

    private static final Logger log = LoggerFactory.getLogger(MetricsHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InetSocketAddress address;
    private final ServiceMetrics metrics;
    private final HealthProbe probe;
    private HttpServer server;
    private ExecutorService executor;

    /** {@code address} port 0 picks a free port. */
    public MetricsHttpServer(InetSocketAddress address, ServiceMetrics metrics, HealthProbe probe) {
        this.address = Objects.requireNonNull(address, "address");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    public synchronized MetricsHttpServer start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer created = HttpServer.create(address, 0);
        executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        created.setExecutor(executor);
        created.createContext("/", exchange -> {
            try (exchange) {
                if (!serve(exchange, metrics, probe)) {
                    json(exchange, 404, Map.of("error", "no route " + exchange.getRequestURI().getPath()));
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Could not answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            }
        });
        created.start();
        server = created;
        log.info("Metrics and health on port {}: GET {}, {}, {}", created.getAddress().getPort(), METRICS_PATH,
                HEALTH_PATH, READY_PATH);
        return this;
    }

    /** The bound port: the chosen one when the address had port 0. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /**
     * Answers {@code /metrics}, {@code /health} and {@code /ready} (405 for another method than
     * GET); false, with nothing sent, for any other path. The caller closes the exchange.
     *
     * @param metrics null when the server has none: {@code /metrics} answers 404
     */
    public static boolean serve(HttpExchange exchange, ServiceMetrics metrics, HealthProbe probe) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals(METRICS_PATH) && !path.equals(HEALTH_PATH) && !path.equals(READY_PATH)) {
            return false;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            json(exchange, 405, Map.of("error", "use GET"));
            return true;
        }
        if (path.equals(METRICS_PATH)) {
            if (metrics == null) {
                json(exchange, 404, Map.of("error", "no metrics on this server"));
                return true;
            }
            send(exchange, 200, ServiceMetrics.CONTENT_TYPE, metrics.scrapeBytes());
            return true;
        }
        HealthProbe.Health health = probe.check();
        if (path.equals(HEALTH_PATH)) {
            json(exchange, health.livenessStatus(), health.livenessBody());
        } else {
            json(exchange, health.readinessStatus(), health.readinessBody());
        }
        return true;
    }

    private static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
