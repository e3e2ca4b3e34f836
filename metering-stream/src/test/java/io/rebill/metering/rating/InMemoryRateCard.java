package io.rebill.metering.rating;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A rate card in a sorted map, ordered like the global store's keys. */
final class InMemoryRateCard implements RateCard {

    private final TreeMap<String, Rate> entries = new TreeMap<>();

    InMemoryRateCard put(UsageType usageType, Direction direction, String prefix, Instant validFrom, Rate rate) {
        entries.put(RateCardKey.of(usageType, direction, prefix, validFrom), rate);
        return this;
    }

    @Override
    public Optional<Rate> lastInRange(String fromKey, String toKey) {
        return Optional.ofNullable(entries.subMap(fromKey, true, toKey, true).lastEntry()).map(Map.Entry::getValue);
    }

    /** A voice rate billed per second at {@code unitPriceMicros} a minute. */
    static Rate rate(String rateId, long unitPriceMicros) {
        return new Rate(rateId, 1, "USD", unitPriceMicros, 1, 1, 0, 0, 0);
    }
}
