package io.rebill.metering;

import io.rebill.metering.processor.CdrRatingProcessor;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The metering-stream topology:
 *
 * <pre>
 * metering.rate-card ──────────► global table metering-rate-card-store ──────────┐
 * metering.rebilling-settings ─► global table metering-rebilling-settings-store ─┤ (read by name)
 * metering.cdr.raw ─► metering-cdr-source ─► metering-rate-cdr ──────────────────┘
 *                                               ├─► metering-charges-rated-sink    ─► metering.charges.rated (key: workspace)
 *                                               └─► metering-charges-rejected-sink ─► metering.charges.rejected (key: as read)
 * </pre>
 *
 * Unreadable CDRs never reach the processor: Kafka Streams sends them to {@code metering.dead-letter}
 * (see {@code StreamsDefaults}). Every node and store has a fixed name, so stores and their
 * checkpoints survive changes elsewhere in the topology.
 */
public final class MeteringTopology {

    public static final String CDR_SOURCE = "metering-cdr-source";
    public static final String RATING_PROCESSOR = "metering-rate-cdr";
    /** The rate-card table's processor; Kafka Streams names its source node {@code <this>-source}. */
    public static final String RATE_CARD_TABLE = "metering-rate-card-table";
    /** The settings table's processor; Kafka Streams names its source node {@code <this>-source}. */
    public static final String REBILLING_SETTINGS_TABLE = "metering-rebilling-settings-table";

    private MeteringTopology() {
    }

    /** The topology under the application's default config ({@link MeteringApp#config}). */
    public static Topology build(Topics topics) {
        return build(topics, MeteringApp.config(new Properties()));
    }

    /**
     * The topology under {@code config}, which decides how it is built: explicit naming is checked
     * here when {@code ensure.explicit.internal.resource.naming} is on, and {@code dsl.store.format}
     * shapes the global stores.
     */
    public static Topology build(Topics topics, Properties config) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
        globalTable(builder, topics.rateCard, RATE_CARD_TABLE, CdrRatingProcessor.RATE_CARD_STORE);
        globalTable(builder, topics.rebillingSettings, REBILLING_SETTINGS_TABLE,
                CdrRatingProcessor.REBILLING_SETTINGS_STORE);

        Topology topology = builder.build();
        topology.addSource(CDR_SOURCE, topics.cdrRaw.keySerde().deserializer(),
                        topics.cdrRaw.valueSerde().deserializer(), topics.cdrRaw.name())
                .addProcessor(RATING_PROCESSOR, () -> new CdrRatingProcessor(topics.cdrRaw), CDR_SOURCE)
                .addSink(CdrRatingProcessor.RATED_CHILD, topics.chargesRated.name(),
                        topics.chargesRated.keySerde().serializer(), topics.chargesRated.valueSerde().serializer(),
                        RATING_PROCESSOR)
                .addSink(CdrRatingProcessor.REJECTED_CHILD, topics.chargesRejected.name(),
                        topics.chargesRejected.keySerde().serializer(),
                        topics.chargesRejected.valueSerde().serializer(), RATING_PROCESSOR);
        return topology;
    }

    private static <V> void globalTable(StreamsBuilder builder, Topic<String, V> topic, String tableName,
                                        String storeName) {
        builder.globalTable(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(tableName),
                Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(storeName)
                        .withKeySerde(topic.keySerde())
                        .withValueSerde(topic.valueSerde()));
    }
}
