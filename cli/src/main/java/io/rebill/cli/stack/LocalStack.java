package io.rebill.cli.stack;

import io.rebill.billing.BillingSinkApp;
import io.rebill.billing.BillingConfig;
import io.rebill.billing.BillingSink;
import io.rebill.cli.kafka.TopicCreator;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.MeteringConfig;
import io.rebill.metering.MeteringService;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.WalletConfig;
import io.rebill.wallet.WalletService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real KRaft broker, a real Confluent-compatible registry, the catalog's
 * topics and the three services, all on 127.0.0.1 with their data under one folder. {@code rebill
 * up}, {@code rebill demo} and the integration tests all start this same stack.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    /**
     * Where and on which ports the stack runs.
     *
     * @param meteringHttpPort metering-stream's operations endpoints: {@code /metrics}, {@code /health}, {@code /ready}
     */
    public record Settings(Path dataDir, int kafkaPort, int controllerPort, int registryPort, int walletHttpPort,
                           int billingHttpPort, int meteringHttpPort, Path registryHome) {

        public static Settings defaults(Path dataDir) {
            return new Settings(dataDir, 9092, 9093, 8081, 8090, BillingConfig.DEFAULT_HTTP_PORT,
                    MeteringConfig.DEFAULT_HTTP_PORT, ApicurioRegistry.locateHome());
        }

        /** Free ports chosen now, for tests that must not collide with a running stack. */
        public static Settings withFreePorts(Path dataDir) {
            return new Settings(dataDir, freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
                    ApicurioRegistry.locateHome());
        }
    }

    private final Settings settings;
    private final KafkaBroker broker;
    private final ApicurioRegistry registry;
    private final List<KafkaStreams> streams = new ArrayList<>();
    private MeteringService metering;
    private WalletService wallet;
    private BillingSink billingSink;
    private Topics topics;
    private final Properties streamsOverrides = new Properties();

    public LocalStack(Settings settings) {
        this(settings, new EmbeddedKafkaBroker(brokerDir(settings), settings.kafkaPort(), settings.controllerPort()));
    }

    /** A stack on {@code broker}, which must use {@link #brokerDir} and the settings' Kafka ports. */
    public LocalStack(Settings settings, KafkaBroker broker) {
        this.settings = settings;
        this.broker = broker;
        this.registry = new ApicurioRegistry(settings.registryHome(), settings.dataDir().resolve("registry"),
                settings.registryPort());
    }

    /** Where the broker of a stack with these settings keeps its data. */
    public static Path brokerDir(Settings settings) {
        return settings.dataDir().resolve("kafka");
    }

    /** Deletes everything the stack stored; for {@code --fresh}. */
    public static void wipe(Path dataDir) {
        if (!Files.exists(dataDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dataDir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not wipe " + dataDir, e);
        }
    }

    /** Starts the broker and the registry and creates the catalog's topics. */
    public LocalStack startInfrastructure() throws Exception {
        Files.createDirectories(settings.dataDir());
        broker.start();
        registry.start();
        topics = Topics.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        try (Admin admin = admin()) {
            List<String> created = TopicCreator.createMissing(admin, topics, (short) 1);
            if (!created.isEmpty()) {
                log.info("Created topics {}", created);
            }
        }
        return this;
    }

    /**
     * Stops the broker (a controlled shutdown) and starts it again on the same data folder and
     * ports; the registry and any running services stay up. For tests of a broker restart.
     */
    public void restartBroker() throws IOException {
        broker.close();
        broker.start();
    }

    /** Starts metering-stream, wallet-stream and billing-sink in this JVM and waits until they run. */
    public LocalStack startServices() {
        metering = MeteringApp.createService(MeteringApp.config(meteringConfig(settings.meteringHttpPort()))).start();
        streams.add(metering.streams());
        wallet = WalletApp.createService(WalletApp.config(walletConfig(settings.walletHttpPort(), "wallet"))).start();
        streams.add(wallet.streams());
        billingSink = BillingSink.create(BillingSinkApp.config(billingConfig(settings.billingHttpPort(), "local")))
                .start();
        awaitRunning(Duration.ofSeconds(60));
        return this;
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!streams.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING)) {
            if (streams.stream().anyMatch(s -> s.state() == KafkaStreams.State.ERROR
                    || s.state() == KafkaStreams.State.PENDING_ERROR)) {
                throw new IllegalStateException("A stream application failed to start; see the log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Stream applications not running after " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting services", e);
            }
        }
    }

    /**
     * A Kafka Streams setting for the stream applications started on this stack from now on (the
     * services and the bench's baseline), on top of their defaults: the bench's tuning knobs.
     */
    public LocalStack overrideStreamsConfig(String key, String value) {
        streamsOverrides.put(key, value);
        return this;
    }

    /** What every service is configured with on this stack. */
    public Properties serviceConfig() {
        Properties config = new Properties();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        config.put(StreamsConfig.STATE_DIR_CONFIG, settings.dataDir().resolve("streams").toAbsolutePath().toString());
        config.putAll(streamsOverrides);
        return config;
    }

    /** metering-stream's config on this stack: its operations endpoints on 127.0.0.1:{@code httpPort}. */
    public Properties meteringConfig(int httpPort) {
        Properties config = serviceConfig();
        config.put(MeteringConfig.HTTP_HOST, "127.0.0.1");
        config.put(MeteringConfig.HTTP_PORT, String.valueOf(httpPort));
        return config;
    }

    /**
     * A wallet-stream instance's config on this stack: its HTTP API on {@code httpPort} (named as
     * its application.server, so instances route queries to each other) and its own state folder.
     */
    public Properties walletConfig(int httpPort, String instance) {
        Properties config = serviceConfig();
        config.put(StreamsConfig.STATE_DIR_CONFIG,
                settings.dataDir().resolve("streams-" + instance).toAbsolutePath().toString());
        config.put(WalletConfig.HTTP_PORT, String.valueOf(httpPort));
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + httpPort);
        // Keep a whole month of daily usage, so the dashboard's month-to-date figures are complete.
        config.put(WalletConfig.DAILY_USAGE_RETENTION_MS, String.valueOf(Duration.ofDays(35).toMillis()));
        return config;
    }

    /**
     * A billing-sink instance's config on this stack: no Stripe key (refills await offline payments)
     * and no platform push unless the caller adds them; Stripe webhooks on {@code httpPort}.
     */
    public Properties billingConfig(int httpPort, String instance) {
        Properties config = serviceConfig();
        config.remove(StreamsConfig.STATE_DIR_CONFIG);
        config.put(BillingConfig.HTTP_PORT, String.valueOf(httpPort));
        config.put(BillingConfig.HTTP_HOST, "127.0.0.1");
        config.put(BillingConfig.INSTANCE_ID, instance);
        return config;
    }

    /** The metering-stream instance {@link #startServices} started. */
    public MeteringService metering() {
        return metering;
    }

    /** metering-stream's operations endpoints' base URL ({@code /metrics}, {@code /health}, {@code /ready}). */
    public String meteringUrl() {
        return "http://127.0.0.1:" + settings.meteringHttpPort();
    }

    /** The wallet-stream instance {@link #startServices} started. */
    public WalletService wallet() {
        return wallet;
    }

    /** The wallet HTTP API's base URL. */
    public String walletUrl() {
        return "http://127.0.0.1:" + settings.walletHttpPort();
    }

    /** Client settings for tools and tests: bootstrap servers and registry URL. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        serviceConfig().forEach((k, v) -> config.put(k.toString(), v));
        config.remove(StreamsConfig.STATE_DIR_CONFIG);
        streamsOverrides.keySet().forEach(config::remove);
        return config;
    }

    public Admin admin() {
        return Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public Topics topics() {
        return topics;
    }

    public Settings settings() {
        return settings;
    }

    public BillingSink billingSink() {
        return billingSink;
    }

    /** Stops services first, then the registry and the broker. */
    @Override
    public void close() {
        if (wallet != null) {
            wallet.close();
            streams.remove(wallet.streams());
            wallet = null;
        }
        if (metering != null) {
            metering.close();
            streams.remove(metering.streams());
            metering = null;
        }
        for (KafkaStreams app : streams) {
            app.close(Duration.ofSeconds(30));
        }
        streams.clear();
        if (billingSink != null) {
            billingSink.close();
            billingSink = null;
        }
        registry.close();
        broker.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
