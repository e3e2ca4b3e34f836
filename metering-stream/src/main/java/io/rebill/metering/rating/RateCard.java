package io.rebill.metering.rating;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import java.time.Instant;
import java.util.Optional;

/**
 * The platform's rate card, keyed by {@link RateCardKey}. The processor backs it with the rate-card
 * global table; the choice of entry ({@link #find}) is made here so it is tested without Kafka.
 */
@FunctionalInterface
public interface RateCard {

    /** The entry under the greatest key in {@code [fromKey, toKey]}, both inclusive, if any. */
    Optional<Rate> lastInRange(String fromKey, String toKey);

    /**
     * The rate for a destination at a time: the longest prefix of {@code destinationDigits} that has
     * an entry in force at {@code at} wins, down to the empty prefix; within one prefix, the entry
     * with the latest {@code validFrom <= at}.
     */
    default Optional<Rate> find(UsageType usageType, Direction direction, String destinationDigits, Instant at) {
        if (at.isBefore(Instant.EPOCH)) {
            return Optional.empty();
        }
        for (RateCardKey.Range range : RateCardKey.searchRanges(usageType, direction, destinationDigits, at)) {
            Optional<Rate> rate = lastInRange(range.fromKey(), range.toKey());
            if (rate.isPresent()) {
                return rate;
            }
        }
        return Optional.empty();
    }
}
