package io.rebill.billing.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rebill.billing.refill.InvalidRefillRequestException;
import io.rebill.billing.sink.WebhookOutcomeWriter;
import io.rebill.billing.stripe.InvalidWebhookException;
import io.rebill.billing.stripe.PaymentEvent;
import io.rebill.billing.stripe.StripeWebhookEvents;
import io.rebill.metrics.HealthProbe;
import io.rebill.metrics.MetricsHttpServer;
import io.rebill.metrics.ServiceMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * billing-sink's HTTP endpoint: Stripe posts payment events here, and orchestrators ask whether the
 * sink is up. Every response body is JSON.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code GET /health}</td><td>liveness (the refill loop runs): 200 {@code {"status":"UP","state":...}}, 503 DOWN</td></tr>
 *   <tr><td>{@code GET /ready}</td><td>readiness (the refill loop polls): 200 UP, 503 DOWN, with the loop's state</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>Prometheus text format 0.0.4 (404 when the server has no metrics)</td></tr>
 *   <tr><td>{@code POST /webhooks/stripe}</td><td>200 {@code {"received":true,"applied":bool}}; 400 for a
 *   bad or stale {@code Stripe-Signature} or a body that is not an event, with nothing changed; 413 over
 *   {@value #MAX_BODY_BYTES} bytes; 404 when no webhook secret is configured; 500 when the outcome could
 *   not be written (Stripe sends the event again)</td></tr>
 * </table>
 */
public final class BillingHttpServer implements AutoCloseable {

    public static final String STRIPE_WEBHOOK_PATH = "/webhooks/stripe";
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(BillingHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InetSocketAddress address;
    private final List<StripeWebhookEvents> webhookEvents;
    private final WebhookOutcomeWriter writer;
    private final HealthProbe probe;
    private final ServiceMetrics metrics;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param webhookEvents one per webhook secret (the platform's endpoint and the Connect endpoint for
     *                      connected accounts' events have their own); empty turns the route off (404)
     * @param ready         whether the refill loop runs; {@code /health} and {@code /ready} report it, and
     *                      {@code /metrics} answers 404
     */
    public BillingHttpServer(InetSocketAddress address, List<StripeWebhookEvents> webhookEvents,
            WebhookOutcomeWriter writer, BooleanSupplier ready) {
        this(address, webhookEvents, writer, HealthProbe.of(ready), null);
    }

    /**
     * @param probe   what {@code /health} (liveness) and {@code /ready} (readiness) report
     * @param metrics what {@code /metrics} serves; null for none (404)
     */
    public BillingHttpServer(InetSocketAddress address, List<StripeWebhookEvents> webhookEvents,
            WebhookOutcomeWriter writer, HealthProbe probe, ServiceMetrics metrics) {
        this.address = address;
        this.webhookEvents = List.copyOf(webhookEvents);
        this.writer = writer;
        this.probe = probe;
        this.metrics = metrics;
    }

    public BillingHttpServer start() throws IOException {
        server = HttpServer.create(address, 0);
        executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "billing-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("billing-sink HTTP on {} (Stripe webhooks {})", server.getAddress(),
                webhookEvents.isEmpty() ? "off: no webhook secret" : "at " + STRIPE_WEBHOOK_PATH);
        return this;
    }

    /** The bound port; useful when started on port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (MetricsHttpServer.serve(exchange, metrics, probe)) {
                // /metrics, /health or /ready: answered
            } else if (path.equals(STRIPE_WEBHOOK_PATH) && !webhookEvents.isEmpty()) {
                if (!method.equals("POST")) {
                    reply(exchange, 405, Map.of("error", "use POST"));
                } else {
                    stripeWebhook(exchange);
                }
            } else {
                reply(exchange, 404, Map.of("error", "no route " + method + " " + path));
            }
        } catch (RuntimeException e) {
            log.error("Request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private void stripeWebhook(HttpExchange exchange) throws IOException {
        byte[] body = readLimited(exchange.getRequestBody());
        if (body == null) {
            reply(exchange, 413, Map.of("error", "body over " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        Optional<PaymentEvent> event;
        try {
            event = verifyAndParse(new String(body, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Stripe-Signature"));
        } catch (InvalidWebhookException e) {
            log.warn("Rejected a Stripe webhook: {}", e.getMessage());
            reply(exchange, 400, Map.of("error", e.getMessage()));
            return;
        }
        if (event.isEmpty()) {
            reply(exchange, 200, Map.of("received", true, "applied", false));
            return;
        }
        try {
            WebhookOutcomeWriter.Result result = writer.apply(event.get());
            reply(exchange, 200, Map.of("received", true, "applied", result.applied(), "detail", result.detail()));
        } catch (InvalidRefillRequestException e) {
            // Signed by Stripe but naming no wallet: retrying will not help, so it is acknowledged.
            log.error("Stripe event {} names no wallet: {}", event.get().eventId(), e.getMessage());
            reply(exchange, 200, Map.of("received", true, "applied", false, "error", e.getMessage()));
        } catch (RuntimeException e) {
            log.error("Could not record Stripe event {}; Stripe will send it again", event.get().eventId(), e);
            reply(exchange, 500, Map.of("error", "could not record the event; retry"));
        }
    }

    /** The signature covers the exact bytes Stripe sent, so they are verified before any parsing. */
    private Optional<PaymentEvent> verifyAndParse(String body, String signature) throws InvalidWebhookException {
        InvalidWebhookException refused = null;
        for (StripeWebhookEvents events : webhookEvents) {
            try {
                return events.verifyAndParse(body, signature);
            } catch (InvalidWebhookException e) {
                refused = e;
            }
        }
        throw refused;
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void reply(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
