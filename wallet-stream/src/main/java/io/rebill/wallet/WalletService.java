package io.rebill.wallet;

import io.rebill.topics.Topics;
import io.rebill.wallet.http.StreamsOwnerLookup;
import io.rebill.wallet.http.WalletHttpServer;
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

/**
 * One wallet-stream instance: the Kafka Streams application and, unless turned off, its HTTP
 * query API, which answers for the workspaces this instance owns and forwards the rest to their
 * owners (every instance's {@code application.server} names its API's host and port).
 */
public final class WalletService implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final WalletHttpServer http;

    private WalletService(KafkaStreams streams, WalletHttpServer http) {
        this.streams = streams;
        this.http = http;
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
        KafkaStreams streams = new KafkaStreams(WalletTopology.build(topics, config), config, time);
        WalletConfig wallet = new WalletConfig(config);
        WalletHttpServer http = null;
        if (wallet.httpPort() >= 0) {
            http = new WalletHttpServer(new InetSocketAddress(wallet.httpHost(), wallet.httpPort()),
                    new StoreReadModel(streams, Clock.systemUTC(), wallet.dailyUsageRetention()),
                    StreamsOwnerLookup.fromConfig(streams, WalletStores.WALLETS, config),
                    () -> streams.state() == KafkaStreams.State.RUNNING);
        }
        return new WalletService(streams, http);
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
    }
}
