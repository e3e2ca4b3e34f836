package io.rebill.billing;

import io.rebill.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Starts billing-sink: loads config, runs the refill loop, stops on shutdown. The payment work
 * itself is in {@link RefillRequestLoop}.
 */
public final class BillingSinkApp {

    public static final String APPLICATION_ID = "rebill-billing-sink";

    private BillingSinkApp() {
    }

    /** The overrides, with defaults for whatever they leave unset. */
    public static Properties config(Properties overrides) {
        Properties config = new Properties();
        config.putAll(overrides);
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        config.putIfAbsent(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7");
        config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, APPLICATION_ID);
        return config;
    }

    public static Properties loadConfig(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return config(properties);
    }

    public static RefillRequestLoop create(Properties config) {
        return new RefillRequestLoop(config);
    }

    public static void main(String[] args) throws Exception {
        Properties config = args.length > 0 ? loadConfig(Path.of(args[0])) : config(new Properties());
        RefillRequestLoop loop = create(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            loop.close();
            stopped.countDown();
        }, "billing-sink-shutdown"));
        Thread worker = new Thread(loop, "billing-sink");
        worker.start();
        stopped.await();
    }
}
