package io.rebill.wallet;

import io.rebill.metrics.ServiceMetrics;
import io.rebill.metrics.StreamsMonitoring;
import io.rebill.topics.Topics;
import io.rebill.wallet.http.StreamsOwnerLookup;
import io.rebill.wallet.http.WalletHttpServer;
import io.rebill.wallet.processor.WalletMeters;
import io.rebill.wallet.processor.WalletStores;
import io.rebill.wallet.query.StoreReadModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * One wallet-stream instance: the Kafka Streams application and, unless turned off, its HTTP
 * query API, which answers for the workspaces this instance owns and forwards the rest to their
 * owners (every instance's {@code application.server} names its API's host and port).
 */
public final class WalletService implements AutoCloseable {

    public static final String SERVICE_NAME = "wallet-stream";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final WalletHttpServer http;
    private final ServiceMetrics metrics;

    private WalletService(KafkaStreams streams, WalletHttpServer http, ServiceMetrics metrics) {
        this.streams = streams;
        this.http = http;
        this.metrics = metrics;
    }

    /** Builds it, unstarted, for a full config (see {@link WalletApp#config}). */
    public static WalletService create(Properties config) {
        return create(config, Time.SYSTEM);
    }

    /**
     * With the clock Kafka Streams reads wall-clock time from (number renewals, refill back-off):
     * integration tests move it a month on instead of waiting a month.
     */
    public static WalletService create(Properties config, Time time) {
        Topics topics = Topics.create(io.rebill.config.ServiceConfig.asMap(config));
        ServiceMetrics metrics = ServiceMetrics.create(SERVICE_NAME,
                config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, ServiceMetrics.defaultInstance()));
        WalletMeters meters = new WalletMeters(metrics.registry());
        KafkaStreams streams = new KafkaStreams(WalletTopology.build(topics, config, meters), config, time);
        meters.countDeadLetters(streams, KafkaStreams::metrics).gaugeOnHold(() -> subAccountsOnHold(streams));
        StreamsMonitoring.bind(metrics, streams);
        WalletConfig wallet = new WalletConfig(config);
        WalletHttpServer http = null;
        if (wallet.httpPort() >= 0) {
            http = new WalletHttpServer(new InetSocketAddress(wallet.httpHost(), wallet.httpPort()),
                    new StoreReadModel(streams, Clock.systemUTC(), wallet.dailyUsageRetention()),
                    StreamsOwnerLookup.fromConfig(streams, WalletStores.WALLETS, config),
                    StreamsMonitoring.probe(streams::state), metrics, WalletHttpServer.DEFAULT_THREADS);
        }
        return new WalletService(streams, http, metrics);
    }

    /** ON_HOLD sub-accounts in the global access store; NaN while it cannot be queried (starting, failed). */
    private static double subAccountsOnHold(KafkaStreams streams) {
        try {
            return WalletMeters.countOnHold(streams.store(StoreQueryParameters.fromNameAndType(
                    WalletTopology.ACCESS_STORE, QueryableStoreTypes.<String, Object>keyValueStore())));
        } catch (InvalidStateStoreException e) {
            return Double.NaN;
        }
    }

    public WalletService start() {
        if (http != null) {
            try {
                http.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the wallet HTTP API", e);
            }
        }
        streams.start();
        return this;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Its meters (see {@link WalletMeters}), Kafka Streams' and the JVM's, as {@code GET /metrics} serves them. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** The HTTP API's port, or -1 when it is turned off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        streams.close(CLOSE_TIMEOUT);
        metrics.close();
    }
}
