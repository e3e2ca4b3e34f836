package io.rebill.wallet;

import io.rebill.config.ServiceConfig;
import io.rebill.streams.StreamsAppRunner;
import io.rebill.streams.StreamsDefaults;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs wallet-stream: {@code java io.rebill.wallet.WalletApp [wallet.properties]}. The file holds
 * Kafka Streams and serde settings; anything it leaves out gets the defaults of
 * {@code ServiceConfig} and {@code StreamsDefaults}.
 */
public final class WalletApp {

    public static final String APPLICATION_ID = "rebill-wallet";

    private WalletApp() {
    }

    /** The full config: {@code overrides}, then the shared service and Streams defaults for what they leave unset. */
    public static Properties config(Properties overrides) {
        Properties config = ServiceConfig.withDefaults(overrides, APPLICATION_ID);
        WalletConfig wallet = new WalletConfig(config);
        if (wallet.httpPort() > 0) {
            // Other instances route queries for this instance's workspaces to its HTTP API.
            config.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, wallet.httpHost() + ":" + wallet.httpPort());
        }
        // The dead-letter topic's name comes from the catalog, like every other topic's.
        return StreamsDefaults.apply(config, Topics.create(ServiceConfig.asMap(config)).walletDeadLetter.name());
    }

    /** Reads a {@code .properties} file (UTF-8) and completes it with {@link #config}. */
    public static Properties loadConfig(Path file) throws IOException {
        return config(ServiceConfig.load(file));
    }

    /** The application, built and not started, for a full config (see {@link #config}). */
    public static KafkaStreams create(Properties config) {
        Topics topics = Topics.create(ServiceConfig.asMap(config));
        return new KafkaStreams(WalletTopology.build(topics, config), config);
    }

    /** The application and its HTTP API, built and not started. */
    public static WalletService createService(Properties config) {
        return WalletService.create(config);
    }

    /** Starts the application with the config file named by the first argument, and stops it on shutdown. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Properties config = args.length > 0 ? loadConfig(Path.of(args[0])) : config(new Properties());
        WalletService service = createService(config);
        System.exit(StreamsAppRunner.runUntilShutdown(service.streams(), APPLICATION_ID, service::close,
                () -> service.start()));
    }
}
