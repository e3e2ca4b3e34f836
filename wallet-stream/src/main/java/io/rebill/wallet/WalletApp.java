package io.rebill.wallet;

import io.rebill.serde.AvroSerdeConfig;
import io.rebill.streams.StreamsDefaults;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs wallet-stream: {@code java io.rebill.wallet.WalletApp [wallet.properties]}. The file holds
 * Kafka Streams and serde settings; anything it leaves out gets the local-run defaults below.
 */
public final class WalletApp {

    public static final String APPLICATION_ID = "rebill-wallet";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";

    private static final Logger log = LoggerFactory.getLogger(WalletApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private WalletApp() {
    }

    /**
     * The overrides, completed with wallet-stream's defaults and the shared Streams defaults
     * (exactly-once v2, explicit naming, unreadable records to {@code wallet.dead-letter}).
     */
    public static Properties config(Properties overrides) {
        Properties config = new Properties();
        config.putAll(overrides);
        config.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        config.putIfAbsent(AvroSerdeConfig.SCHEMA_REGISTRY_URL, DEFAULT_SCHEMA_REGISTRY_URL);
        return StreamsDefaults.apply(config, Topics.create(serdeConfig(config)).walletDeadLetter.name());
    }

    /** Reads a properties file and completes it with {@link #config(Properties)}. */
    public static Properties loadConfig(Path file) throws IOException {
        Properties overrides = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            overrides.load(reader);
        }
        return config(overrides);
    }

    /** An unstarted KafkaStreams for the wallet topology; the caller starts and closes it. */
    public static KafkaStreams create(Properties config) {
        return new KafkaStreams(WalletTopology.build(Topics.create(serdeConfig(config))), config);
    }

    /** The serdes read the registry settings from the same file as Streams. */
    private static Map<String, Object> serdeConfig(Properties config) {
        Map<String, Object> serdeConfig = new HashMap<>();
        config.forEach((key, value) -> serdeConfig.put(key.toString(), value));
        return serdeConfig;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Properties config = args.length > 0 ? loadConfig(Path.of(args[0])) : config(new Properties());
        KafkaStreams streams = create(config);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(CLOSE_TIMEOUT);
            stopped.countDown();
        }, APPLICATION_ID + "-shutdown"));

        log.info("Starting {} against {}", config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                config.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        streams.start();
        stopped.await();
        if (streams.state() == KafkaStreams.State.ERROR) {
            streams.close(CLOSE_TIMEOUT);
            log.error("{} stopped after a fatal error", APPLICATION_ID);
            System.exit(1);
        }
    }
}
