package io.rebill.wallet;

import io.rebill.config.ServiceConfig;
import io.rebill.streams.StreamsAppRunner;
import io.rebill.streams.StreamsDefaults;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs wallet-stream: {@code java io.rebill.wallet.WalletApp [wallet.properties]}. The file holds
 * Kafka Streams and serde settings, and {@code REBILL_CONFIG_*} environment variables override it
 * (see {@code ServiceConfig}); anything they leave out gets the defaults of {@code ServiceConfig} and
 * {@code StreamsDefaults}.
 */
public final class WalletApp {

    public static final String APPLICATION_ID = "rebill-wallet";

    private WalletApp() {
    }

    /** The full config: {@code overrides}, then the shared service and Streams defaults for what they leave unset. */
    public static Properties config(Properties overrides) {
        return config(overrides, System.getenv());
    }

    /**
     * The full config, with {@code env} consulted for this machine's host name only.
     *
     * <p>Unless {@code application.server} is set, it is the HTTP API's host and port. When the API
     * listens on a wildcard address ({@code rebill.wallet.http.host=0.0.0.0}, as in a container),
     * the host is this machine's host name ({@code $HOSTNAME}, see
     * {@link ServiceConfig#advertisedHost}), so every replica of a scaled-out deployment advertises
     * its own address without being told it.
     */
    public static Properties config(Properties overrides, Map<String, String> env) {
        Properties config = ServiceConfig.withDefaults(overrides, APPLICATION_ID);
        WalletConfig wallet = new WalletConfig(config);
        if (wallet.httpPort() > 0) {
            // Other instances route queries for this instance's workspaces to its HTTP API.
            config.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG,
                    ServiceConfig.advertisedHost(wallet.httpHost(), env) + ":" + wallet.httpPort());
        }
        // The dead-letter topic's name comes from the catalog, like every other topic's.
        return StreamsDefaults.apply(config, Topics.create(ServiceConfig.asMap(config)).walletDeadLetter.name());
    }

    /** The config {@link #main} runs with: {@code REBILL_CONFIG_*} variables of {@code env} over the file {@code args[0]}, then defaults. */
    public static Properties config(String[] args, Map<String, String> env) throws IOException {
        return config(ServiceConfig.overrides(args, env), env);
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

    /** Starts the application with the environment and the config file named by the first argument, and stops it on shutdown. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Properties config = config(args, System.getenv());
        WalletService service = createService(config);
        System.exit(StreamsAppRunner.runUntilShutdown(service.streams(), APPLICATION_ID, service::close,
                () -> service.start()));
    }
}
