package io.rebill.wallet.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rebill.metrics.HealthProbe;
import io.rebill.metrics.ServiceMetrics;
import io.rebill.wallet.query.WalletReadModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * wallet-stream's read API over HTTP: wallets, ledgers, usage and access, answered from the Kafka
 * Streams stores through {@link WalletReadModel}.
 *
 * <p>Wallet state is partitioned by workspace id, so each {@code /workspaces/{ws}/...} request is
 * answered by the instance that owns the workspace's partition: here when that is this instance,
 * otherwise forwarded once to the owner and its answer relayed. {@code /access/{sa}} reads a global
 * store and is always answered here. Every response body is JSON, errors included
 * ({@code {"error": "..."}}).
 *
 * <table>
 *   <caption>Routes (GET only)</caption>
 *   <tr><td>{@code /health}</td><td>liveness: 200 {@code {"status":"UP","state":...}}, 503 {@code {"status":"DOWN",...}}</td></tr>
 *   <tr><td>{@code /ready}</td><td>readiness (Kafka Streams RUNNING): 200 UP, 503 DOWN, with the state</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text format 0.0.4</td></tr>
 *   <tr><td>{@code /workspaces/{ws}}</td><td>WorkspaceView</td></tr>
 *   <tr><td>{@code /workspaces/{ws}/ledger?limit&before}</td><td>LedgerPage of wallet {@code ws}</td></tr>
 *   <tr><td>{@code /workspaces/{ws}/sub-accounts/{sa}}</td><td>SubAccountView</td></tr>
 *   <tr><td>{@code /workspaces/{ws}/sub-accounts/{sa}/usage}</td><td>UsageSummary</td></tr>
 *   <tr><td>{@code /workspaces/{ws}/sub-accounts/{sa}/ledger?limit&before}</td><td>LedgerPage of {@code ws/sa}</td></tr>
 *   <tr><td>{@code /access/{sa}}</td><td>AccessView: 200 allowed, 403 blocked</td></tr>
 *   <tr><td>{@code /dashboard/{ws}}</td><td>the agency dashboard, an HTML page over this API ({@link Dashboard})</td></tr>
 *   <tr><td>{@code /dashboard/assets/{file}}</td><td>its script and style sheet</td></tr>
 * </table>
 */
public final class WalletHttpServer implements AutoCloseable {

    public static final int DEFAULT_THREADS = 8;
    public static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(WalletHttpServer.class);

    private final InetSocketAddress address;
    private final OwnerLookup owners;
    private final LocalAnswers local;
    private final Forwarder forwarder;
    private final int threads;

    private HttpServer server;
    private ExecutorService executor;

    /** A server with {@value #DEFAULT_THREADS} request threads; {@code address} port 0 picks a free port. */
    public WalletHttpServer(InetSocketAddress address, WalletReadModel readModel, OwnerLookup owners,
                            BooleanSupplier ready) {
        this(address, readModel, owners, ready, DEFAULT_THREADS);
    }

    /**
     * @param ready whether this instance can answer at all (e.g. Kafka Streams is RUNNING); {@code /health}
     *              and {@code /ready} both report it, and {@code /metrics} answers 404
     * @param threads request threads; a forwarded request holds one for up to {@link #FORWARD_TIMEOUT}
     */
    public WalletHttpServer(InetSocketAddress address, WalletReadModel readModel, OwnerLookup owners,
                            BooleanSupplier ready, int threads) {
        this(address, readModel, owners, HealthProbe.of(Objects.requireNonNull(ready, "ready")), null, threads);
    }

    /**
     * @param probe   what {@code /health} (liveness) and {@code /ready} (readiness) report
     * @param metrics what {@code /metrics} serves; null for none (404)
     * @param threads request threads; a forwarded request holds one for up to {@link #FORWARD_TIMEOUT}
     */
    public WalletHttpServer(InetSocketAddress address, WalletReadModel readModel, OwnerLookup owners,
                            HealthProbe probe, ServiceMetrics metrics, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.address = Objects.requireNonNull(address, "address");
        this.owners = Objects.requireNonNull(owners, "owners");
        this.local = new LocalAnswers(Objects.requireNonNull(readModel, "readModel"),
                Objects.requireNonNull(probe, "probe"), metrics);
        this.forwarder = new Forwarder(FORWARD_TIMEOUT);
        this.threads = threads;
    }

    /** Binds the address and starts answering. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer created = HttpServer.create(address, 0);
        executor = Executors.newFixedThreadPool(threads, new NamedThreads());
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        log.info("Wallet HTTP API listening on {}", created.getAddress());
    }

    /** The bound port: the chosen one when the address had port 0. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** Stops accepting requests and waits briefly for the ones in progress. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(FORWARD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Wallet HTTP API: requests still running after {}, interrupting them", FORWARD_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        server = null;
        executor = null;
    }

    private void handle(HttpExchange exchange) {
        try {
            Reply reply;
            try {
                reply = dispatch(exchange);
            } catch (ApiException e) {
                reply = Reply.error(e);
            } catch (InvalidStateStoreException e) {
                // Stores are briefly unqueryable while a partition is restored or migrates.
                log.info("Wallet state not queryable for {}: {}", exchange.getRequestURI(), e.getMessage());
                reply = Reply.error(ApiException.retryLater("wallet state is being restored or moved, retry"));
            } catch (RuntimeException e) {
                log.error("Failed to answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reply = Reply.error(ApiException.internal());
            }
            send(exchange, reply);
        } catch (IOException e) {
            // The client went away before reading the answer; nothing left to tell it.
            log.debug("Could not send the answer to {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        } finally {
            exchange.close();
        }
    }

    private Reply dispatch(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        boolean get = "GET".equals(exchange.getRequestMethod());
        if (Dashboard.handles(uri.getRawPath())) {
            return Dashboard.answer(uri.getRawPath(), get);
        }
        Route route;
        try {
            route = Routes.parse(uri.getRawPath(), uri.getRawQuery());
        } catch (ApiException e) {
            // A known path with the wrong method is 405, whatever its ids or parameters.
            if (get || e.status() == 404) {
                throw e;
            }
            throw ApiException.methodNotAllowed();
        }
        if (!get) {
            throw ApiException.methodNotAllowed();
        }
        if (route instanceof Route.WorkspaceRoute workspaceRoute) {
            return routeToOwner(exchange, workspaceRoute);
        }
        return local.answer(route);
    }

    private Reply routeToOwner(HttpExchange exchange, Route.WorkspaceRoute route) {
        String workspaceId = route.workspaceId();
        Optional<HostInfo> owner = owners.ownerOfWorkspace(workspaceId);
        if (owner.isEmpty()) {
            throw ApiException.retryLater("the owner of workspace " + workspaceId + " is not known: rebalancing, retry");
        }
        if (owner.get().equals(owners.self())) {
            return local.answer(route);
        }
        if (exchange.getRequestHeaders().containsKey(Forwarder.FORWARDED_HEADER)) {
            // The sender thought this instance owned the workspace: ownership is moving. Forwarding
            // again could bounce the request between instances, so the client retries instead.
            log.info("Forwarded request {} for workspace {} reached a non-owner; owner is {}",
                    exchange.getRequestURI(), workspaceId, owner.get());
            throw ApiException.retryLater("workspace " + workspaceId + " is moving between instances: rebalancing, retry");
        }
        // Raw, still percent-encoded: the owner parses exactly what this instance received.
        URI uri = exchange.getRequestURI();
        String rawPathAndQuery = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        return forwarder.forward(owner.get(), workspaceId, rawPathAndQuery);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        boolean noBody = reply.body().length == 0 || "HEAD".equals(exchange.getRequestMethod());
        // -1 means "no body" to the JDK server; 0 would mean chunked.
        exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private static final class NamedThreads implements ThreadFactory {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "wallet-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
