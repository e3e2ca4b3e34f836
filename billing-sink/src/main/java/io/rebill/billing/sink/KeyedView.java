package io.rebill.billing.sink;

import java.util.Optional;

/** The latest value per key of a compacted topic, as far as this process has read or written it. */
public interface KeyedView<V> {

    Optional<V> get(String key);

    /** Reads what was committed to the topic since the last call, so other instances' writes count. */
    void refresh();

    /** What this process itself just committed, before it is read back. */
    void remember(String key, V value);
}
