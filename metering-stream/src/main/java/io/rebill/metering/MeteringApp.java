package io.rebill.metering;

import io.rebill.config.ServiceConfig;
import io.rebill.streams.StreamsAppRunner;
import io.rebill.streams.StreamsDefaults;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs metering-stream: reads CDRs, rates them and publishes rated and rejected charges (see
 * {@link MeteringTopology}). Config comes from {@code REBILL_CONFIG_*} environment variables over an
 * optional {@code .properties} file given as the first argument (see {@code ServiceConfig}); whatever
 * they leave out gets the defaults of {@code ServiceConfig} and {@code StreamsDefaults}.
 */
public final class MeteringApp {

    public static final String APPLICATION_ID = "rebill-metering";

    private MeteringApp() {
    }

    /** The full config: {@code overrides}, then the shared service and Streams defaults for what they leave unset. */
    public static Properties config(Properties overrides) {
        Properties config = ServiceConfig.withDefaults(overrides, APPLICATION_ID);
        // The dead-letter topic's name comes from the catalog, like every other topic's.
        return StreamsDefaults.apply(config, Topics.create(ServiceConfig.asMap(config)).meteringDeadLetter.name());
    }

    /** Reads a {@code .properties} file (UTF-8) and completes it with {@link #config}. */
    public static Properties loadConfig(Path file) throws IOException {
        return config(ServiceConfig.load(file));
    }

    /** The config {@link #main} runs with: {@code REBILL_CONFIG_*} variables of {@code env} over the file {@code args[0]}, then defaults. */
    public static Properties config(String[] args, Map<String, String> env) throws IOException {
        return config(ServiceConfig.overrides(args, env));
    }

    /** The application, built and not started, for a full config (see {@link #config}); without meters or HTTP. */
    public static KafkaStreams create(Properties config) {
        Topics topics = Topics.create(ServiceConfig.asMap(config));
        return new KafkaStreams(MeteringTopology.build(topics, config), config);
    }

    /** The application with its meters and operations endpoints ({@code /metrics}, {@code /health}, {@code /ready}), not started. */
    public static MeteringService createService(Properties config) {
        return MeteringService.create(config);
    }

    /** Starts the application with the environment and the config file named by the first argument, and stops it on shutdown. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Properties config = config(args, System.getenv());
        MeteringService service = createService(config);
        System.exit(StreamsAppRunner.runUntilShutdown(service.streams(), APPLICATION_ID, service::close,
                () -> service.start()));
    }
}
