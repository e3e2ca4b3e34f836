package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.topics.Topics;

/**
 * Where {@code rebill rebilling set} puts the settings it builds: {@code metering.rebilling-settings}
 * on a running pipeline, or a list in tests.
 */
public interface RebillingSettingsSink extends AutoCloseable {

    @FunctionalInterface
    interface Opener {
        RebillingSettingsSink open(KafkaOptions kafka);
    }

    /** Sends the settings under the key and returns once Kafka acknowledged them. */
    void sendAndFlush(String key, RebillingSettings settings);

    @Override
    void close();

    /** The real one: checks that Kafka and the registry answer before building a producer. */
    static RebillingSettingsSink kafka(KafkaOptions kafka) {
        Topics topics = kafka.topics();
        kafka.requireKafka(topics.rebillingSettings.name());
        kafka.requireRegistry();
        CatalogProducer producer = new CatalogProducer(kafka.clientConfig());
        return new RebillingSettingsSink() {
            @Override
            public void sendAndFlush(String key, RebillingSettings settings) {
                producer.send(topics.rebillingSettings, key, settings);
                producer.flush();
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }
}
