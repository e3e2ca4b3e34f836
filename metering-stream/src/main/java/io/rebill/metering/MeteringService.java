package io.rebill.metering;

import io.rebill.config.ServiceConfig;
import io.rebill.metering.processor.MeteringMeters;
import io.rebill.metrics.HealthProbe;
import io.rebill.metrics.MetricsHttpServer;
import io.rebill.metrics.ServiceMetrics;
import io.rebill.metrics.StreamsMonitoring;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One metering-stream instance: the Kafka Streams application, its meters (see
 * {@link MeteringMeters}; Kafka Streams' own and the JVM's beside them) and, unless
 * {@code rebill.metering.http.port} is -1, its operations endpoints: {@code GET /metrics},
 * {@code /health} (live while the streams run or rebalance) and {@code /ready} (RUNNING).
 */
public final class MeteringService implements AutoCloseable {

    public static final String SERVICE_NAME = "metering-stream";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final ServiceMetrics metrics;
    private final MetricsHttpServer http;

    private MeteringService(KafkaStreams streams, ServiceMetrics metrics, MetricsHttpServer http) {
        this.streams = streams;
        this.metrics = metrics;
        this.http = http;
    }

    /** Builds it, unstarted, for a full config (see {@link MeteringApp#config}). */
    public static MeteringService create(Properties config) {
        Topics topics = Topics.create(ServiceConfig.asMap(config));
        MeteringConfig metering = new MeteringConfig(config);
        ServiceMetrics metrics = ServiceMetrics.create(SERVICE_NAME, ServiceMetrics.defaultInstance());
        MeteringMeters meters = new MeteringMeters(metrics.registry());
        KafkaStreams streams = new KafkaStreams(MeteringTopology.build(topics, config, meters), config);
        meters.countDeadLetters(streams, KafkaStreams::metrics);
        StreamsMonitoring.bind(metrics, streams);
        MetricsHttpServer http = metering.httpPort() < 0 ? null
                : new MetricsHttpServer(new InetSocketAddress(metering.httpHost(), metering.httpPort()), metrics,
                        probe(streams));
        return new MeteringService(streams, metrics, http);
    }

    /** Live while the streams run or rebalance, ready when they are RUNNING. */
    static HealthProbe probe(KafkaStreams streams) {
        return StreamsMonitoring.probe(streams::state);
    }

    /** Starts the operations endpoints, then the streams. */
    public MeteringService start() {
        if (http != null) {
            try {
                http.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start metering-stream's HTTP endpoints", e);
            }
        }
        streams.start();
        return this;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    /** The operations endpoints' port, or -1 when they are turned off. */
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
