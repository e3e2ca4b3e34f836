package io.rebill.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsDefaultsTest {

    @Test
    void shouldRunExactlyOnceWithDeadLettersByDefault() {
        Properties config = StreamsDefaults.apply(new Properties(), "metering.dead-letter");

        assertThat(config)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "metering.dead-letter")
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetteringDeserializationHandler.class.getName());
    }

    @Test
    void shouldBatchProducedRecordsBeyondKafkasDefault() {
        Properties config = StreamsDefaults.apply(walletApp(), "wallet.dead-letter");

        assertThat(config).containsEntry("producer.batch.size", 128 * 1024);
        assertThat(new StreamsConfig(config).getProducerConfigs("client").get(ProducerConfig.BATCH_SIZE_CONFIG))
                .isEqualTo(128 * 1024);
    }

    @Test
    void shouldCacheMoreStoreRecordsThanKafkasDefault() {
        Properties config = StreamsDefaults.apply(walletApp(), "wallet.dead-letter");

        assertThat(new StreamsConfig(config).getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG))
                .isEqualTo(64L * 1024 * 1024);
        Properties small = new Properties();
        small.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        assertThat(StreamsDefaults.apply(small, "wallet.dead-letter"))
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
    }

    @Test
    void shouldKeepWhatTheConfigAlreadySays() {
        Properties config = new Properties();
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);

        StreamsDefaults.apply(config, "wallet.dead-letter");

        assertThat(config).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    }

    /** What StreamsConfig itself requires, so that it can say what the producers and stores get. */
    private static Properties walletApp() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rebill-wallet");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        return config;
    }
}
