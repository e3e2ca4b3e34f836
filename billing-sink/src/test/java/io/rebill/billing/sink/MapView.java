package io.rebill.billing.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link KeyedView} over a map: what a compacted topic would hold, without a broker. */
final class MapView<V> implements KeyedView<V> {

    final Map<String, V> values = new HashMap<>();
    int refreshes;

    @Override
    public Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public void refresh() {
        refreshes++;
    }

    @Override
    public void remember(String key, V value) {
        values.put(key, value);
    }
}
