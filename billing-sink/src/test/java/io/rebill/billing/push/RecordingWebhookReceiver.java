package io.rebill.billing.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * The platform's side in tests: verifies each request's signature as a real receiver would
 * (400 when it fails), records it, and answers what the test scripts.
 */
final class RecordingWebhookReceiver implements AutoCloseable {

    static final String SECRET = "whsec_test_secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Delivery(String eventId, String eventType, String contentType, String userAgent, String signatureHeader,
                    boolean signatureValid, byte[] body, Instant receivedAt) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Clock clock;
    private final PlatformWebhookSignature signature = new PlatformWebhookSignature(SECRET);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile ToIntFunction<Delivery> responder = delivery -> 200;
    private volatile CountDownLatch gate;

    private RecordingWebhookReceiver(Clock clock, int port) throws IOException {
        this.clock = clock;
        // Several handler threads, so a concurrent second request would show up rather than queue.
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/hooks/rebill", this::handle);
        server.start();
    }

    /** A receiver on a free port that checks signatures against {@code clock}. */
    static RecordingWebhookReceiver start(Clock clock) throws IOException {
        return new RecordingWebhookReceiver(clock, 0);
    }

    static RecordingWebhookReceiver start(Clock clock, int port) throws IOException {
        return new RecordingWebhookReceiver(clock, port);
    }

    URI url() {
        return url(server.getAddress().getPort());
    }

    static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port + "/hooks/rebill");
    }

    /** Decides each answer's status; 200 unless set. */
    void respondWith(ToIntFunction<Delivery> responder) {
        this.responder = responder;
    }

    /** Holds every answer until the returned latch is counted down. */
    CountDownLatch holdResponses() {
        CountDownLatch latch = new CountDownLatch(1);
        gate = latch;
        return latch;
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    List<String> eventIds() {
        return deliveries.stream().map(Delivery::eventId).toList();
    }

    int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int concurrent = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(concurrent, Math::max);
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String signatureHeader = exchange.getRequestHeaders().getFirst(PlatformWebhookSignature.HEADER);
            Instant now = clock.instant();
            boolean valid = signature.verify(body, signatureHeader, now, PlatformWebhookSignature.DEFAULT_TOLERANCE);
            Delivery delivery = new Delivery(
                    exchange.getRequestHeaders().getFirst(PlatformWebhookClient.EVENT_ID_HEADER),
                    exchange.getRequestHeaders().getFirst(PlatformWebhookClient.EVENT_TYPE_HEADER),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    signatureHeader, valid, body, now);
            deliveries.add(delivery);
            CountDownLatch heldBy = gate;
            if (heldBy != null) {
                heldBy.await(30, TimeUnit.SECONDS);
            }
            int status = valid ? responder.applyAsInt(delivery) : 400;
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        CountDownLatch heldBy = gate;
        if (heldBy != null) {
            heldBy.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
