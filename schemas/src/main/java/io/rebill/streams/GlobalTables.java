package io.rebill.streams;

import io.rebill.topics.Topic;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/** Reference data (rate cards, settings, plans) as global tables with fixed node and store names. */
public final class GlobalTables {

    private GlobalTables() {
    }

    /** A global table of the topic, read by processors through the store named {@code storeName}. */
    public static <V> void add(StreamsBuilder builder, Topic<String, V> topic, String tableName, String storeName) {
        builder.globalTable(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(tableName),
                Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(storeName)
                        .withKeySerde(topic.keySerde())
                        .withValueSerde(topic.valueSerde()));
    }
}
