package io.rebill.streams;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * Settings every Rebill stream application runs with unless its config says otherwise:
 * exactly-once v2, explicit names for every internal resource, and records that cannot be read or
 * that fail unexpectedly in a processor sent to the application's dead-letter topic (with their
 * original bytes) while the pipeline keeps running. Processors decide before they write, so a
 * record that fails leaves no half-applied state behind.
 */
public final class StreamsDefaults {

    /**
     * The producers' batch size. Each charge fans out to about ten records over some eighty
     * partitions, and every commit flushes them all: Kafka's 16 KiB batches made several requests
     * per partition per commit. 128 KiB gave 17% more records/s in {@code rebill bench} (README).
     */
    public static final int PRODUCER_BATCH_BYTES = 128 * 1024;

    /**
     * The record cache over the stores that keep it (wallet-stream's wallets, allowances and daily
     * usage), per application instance. Kafka Streams' 10 MiB held the wallets of about 20,000
     * sub-accounts no longer: with 20,000 in one workspace, 64 MiB gave 14% more records/s in
     * {@code rebill bench} and no change with 1,000 (README). Bounded, so memory stays flat.
     */
    public static final long STATE_STORE_CACHE_BYTES = 64L * 1024 * 1024;

    private StreamsDefaults() {
    }

    /** Fills what {@code config} leaves unset and returns it. */
    public static Properties apply(Properties config, String deadLetterTopic) {
        config.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.putIfAbsent(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        config.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        config.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, STATE_STORE_CACHE_BYTES);
        config.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationHandler.class.getName());
        config.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        config.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        config.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
        return config;
    }
}
