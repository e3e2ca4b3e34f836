package io.rebill.metering;

import io.rebill.serde.AvroSerdeConfig;
import io.rebill.streams.StreamsDefaults;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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
 * Runs metering-stream: reads CDRs, rates them and publishes rated and rejected charges (see
 * {@link MeteringTopology}). Config comes from an optional {@code .properties} file given as the
 * first argument; whatever it leaves out gets the local-run defaults below.
 */
public final class MeteringApp {

    public static final String APPLICATION_ID = "rebill-metering";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    /** The local Apicurio registry's Confluent-compatible API. */
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(MeteringApp.class);

    private MeteringApp() {
    }

    /** The full config: {@code overrides}, then the defaults for what they leave unset. */
    public static Properties config(Properties overrides) {
        Properties config = new Properties();
        config.putAll(overrides);
        config.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        config.putIfAbsent(AvroSerdeConfig.SCHEMA_REGISTRY_URL, DEFAULT_SCHEMA_REGISTRY_URL);
        // The dead-letter topic's name comes from the catalog, like every other topic's.
        return StreamsDefaults.apply(config, Topics.create(asMap(config)).meteringDeadLetter.name());
    }

    /** Reads a {@code .properties} file (UTF-8) and completes it with {@link #config}. */
    public static Properties loadConfig(Path file) throws IOException {
        Properties fromFile = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            fromFile.load(reader);
        }
        return config(fromFile);
    }

    /** The application, built and not started, for a full config (see {@link #config}). */
    public static KafkaStreams create(Properties config) {
        Topics topics = Topics.create(asMap(config));
        return new KafkaStreams(MeteringTopology.build(topics, config), config);
    }

    /** Starts the application with the config file named by the first argument, and stops it on shutdown. */
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

        streams.start();
        stopped.await();
        boolean failed = streams.state() == KafkaStreams.State.ERROR;
        streams.close(CLOSE_TIMEOUT);
        if (failed) {
            log.error("{} stopped after an unrecoverable error; see the log above", APPLICATION_ID);
            System.exit(1);
        }
    }

    /** The config as the map serdes are configured with; non-string values (e.g. booleans) are kept. */
    static Map<String, Object> asMap(Properties config) {
        Map<String, Object> map = new HashMap<>();
        config.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }
}
