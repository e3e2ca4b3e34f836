package io.rebill.streams;

import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.ValueTimestampHeaders;

/**
 * A DSL global table's store holds {@code ValueAndTimestamp<V>} by default and
 * {@code ValueTimestampHeaders<V>} with {@code dsl.store.format=HEADERS}; processors that read one
 * by name unwrap the value here, so the format can change freely.
 */
public final class StoreValues {

    private StoreValues() {
    }

    public static <V> V unwrap(Object stored, Class<V> type) {
        Object value = stored;
        if (stored instanceof ValueAndTimestamp<?> withTimestamp) {
            value = withTimestamp.value();
        } else if (stored instanceof ValueTimestampHeaders<?> withHeaders) {
            value = withHeaders.value();
        }
        return type.cast(value);
    }
}
