package io.rebill.billing;

import io.rebill.config.ServiceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Starts billing-sink from {@code REBILL_CONFIG_*} environment variables over an optional config file
 * (see {@code ServiceConfig}), completed with the local defaults, and stops it on shutdown.
 */
public final class BillingSinkApp {

    public static final String APPLICATION_ID = "rebill-billing-sink";

    private BillingSinkApp() {
    }

    /** The overrides, with defaults for whatever they leave unset. */
    public static Properties config(Properties overrides) {
        Properties config = ServiceConfig.withDefaults(overrides, APPLICATION_ID);
        config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, APPLICATION_ID);
        return config;
    }

    public static Properties loadConfig(Path file) throws IOException {
        return config(ServiceConfig.load(file));
    }

    /** The config {@link #main} runs with: {@code REBILL_CONFIG_*} variables of {@code env} over the file {@code args[0]}, then defaults. */
    public static Properties config(String[] args, Map<String, String> env) throws IOException {
        return config(ServiceConfig.overrides(args, env));
    }

    public static void main(String[] args) throws Exception {
        Properties config = config(args, System.getenv());
        BillingSink sink = BillingSink.create(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            stopped.countDown();
        }, "billing-sink-shutdown"));
        stopped.await();
    }
}
