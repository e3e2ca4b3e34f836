package io.rebill.cli.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rebill.billing.push.PlatformWebhookSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The platform's side of the push webhook: verifies each signature and keeps the events it accepted. */
final class PlatformReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final AtomicInteger badSignatures = new AtomicInteger();
    private final PlatformWebhookSignature signature;
    private final HttpServer server;

    PlatformReceiver(String secret) throws IOException {
        this.signature = new PlatformWebhookSignature(secret);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/rebill-events", this::receive);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/rebill-events";
    }

    /** Accepted events of one type about one subject (a sub-account id or a number), in arrival order. */
    List<JsonNode> of(String typePrefix, String subject) {
        return events.stream().filter(e -> e.path("type").asText().startsWith(typePrefix))
                .filter(e -> subject.equals(e.path("data").path("subAccountId").asText())
                        || subject.equals(e.path("data").path("number").asText()))
                .toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String header = exchange.getRequestHeaders().getFirst(PlatformWebhookSignature.HEADER);
            if (!signature.verify(body, header, Instant.now(), PlatformWebhookSignature.DEFAULT_TOLERANCE)) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            events.add(JSON.readTree(body));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
