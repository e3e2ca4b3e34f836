package io.rebill.billing;

import io.rebill.config.ServiceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Starts billing-sink from a config file (or the local defaults) and stops it on shutdown. */
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

    public static void main(String[] args) throws Exception {
        Properties config = args.length > 0 ? loadConfig(Path.of(args[0])) : config(new Properties());
        BillingSink sink = BillingSink.create(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            stopped.countDown();
        }, "billing-sink-shutdown"));
        stopped.await();
    }
}
