package io.rebill.benchmarks;

import io.rebill.metering.rating.Rate;
import io.rebill.metering.rating.RateCard;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A rate card held in a sorted map under {@link RateCardKey} keys, ordered like the rate-card global
 * store. It stands in for the store so the benchmarks time the rating rules, not RocksDB and Avro.
 */
final class TreeMapRateCard implements RateCard {

    private final TreeMap<String, Rate> entries = new TreeMap<>();

    void put(UsageType usageType, Direction direction, String prefix, Instant validFrom, Rate rate) {
        entries.put(RateCardKey.of(usageType, direction, prefix, validFrom), rate);
    }

    int size() {
        return entries.size();
    }

    @Override
    public Optional<Rate> lastInRange(String fromKey, String toKey) {
        Map.Entry<String, Rate> last = entries.floorEntry(toKey);
        return last == null || last.getKey().compareTo(fromKey) < 0 ? Optional.empty() : Optional.of(last.getValue());
    }
}
