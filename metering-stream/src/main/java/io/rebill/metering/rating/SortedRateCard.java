package io.rebill.metering.rating;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A rate card held in memory, sorted by {@link RateCardKey} as the global store sorts it (keys are
 * ASCII, so string order is byte order): each range lookup is one floor search instead of a store
 * iterator.
 */
public final class SortedRateCard implements RateCard {

    private final NavigableMap<String, Rate> entries;

    /** @param entries rates by their {@link RateCardKey} */
    public SortedRateCard(Map<String, Rate> entries) {
        this.entries = new TreeMap<>(entries);
    }

    @Override
    public Optional<Rate> lastInRange(String fromKey, String toKey) {
        Map.Entry<String, Rate> last = entries.floorEntry(toKey);
        return last != null && last.getKey().compareTo(fromKey) >= 0 ? Optional.of(last.getValue()) : Optional.empty();
    }

    public int size() {
        return entries.size();
    }
}
