package io.rebill.metering.processor;

import io.rebill.metering.rating.Rate;
import io.rebill.metering.rating.RateCard;
import io.rebill.metering.rating.SortedRateCard;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The rate card as the rating processor reads it: an in-memory copy of the rate-card global store,
 * used only while the store's {@link Position} (the offsets of {@code metering.rate-card} it has
 * applied) is still the one the copy was taken at, so a rate published a moment ago is never
 * missed. A call's lookup is then a dozen floor searches instead of a dozen store iterators. While
 * the store keeps changing, as during a rate-card upload, lookups read the store itself and a new
 * copy is taken at most once per {@link #RECOPY_INTERVAL}.
 */
final class SnapshotRateCard implements RateCard {

    static final Duration RECOPY_INTERVAL = Duration.ofSeconds(1);

    private final KeyValueStore<String, ?> store;
    private final RateCard direct;
    private final LongSupplier nanoTime;
    private RateCard copy;
    private Position copiedAt;
    private long copiedAtNanos;

    SnapshotRateCard(KeyValueStore<String, ?> store, LongSupplier nanoTime) {
        this.store = store;
        this.direct = GlobalStoreViews.rateCard(store);
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<Rate> lastInRange(String fromKey, String toKey) {
        return current().lastInRange(fromKey, toKey);
    }

    /** One position check for all the ranges of a lookup. */
    @Override
    public Optional<Rate> find(UsageType usageType, Direction direction, String destinationDigits, Instant at) {
        return current().find(usageType, direction, destinationDigits, at);
    }

    private RateCard current() {
        Position now = position(store);
        if (now == null) {
            return direct;
        }
        if (copy != null && now.equals(copiedAt)) {
            return copy;
        }
        long nanos = nanoTime.getAsLong();
        if (copy != null && nanos - copiedAtNanos < RECOPY_INTERVAL.toNanos()) {
            return direct;
        }
        // Taken before the copy: a change during the copy leaves the copy marked older, so it is replaced.
        Position before = now.copy();
        copy = new SortedRateCard(GlobalStoreViews.allRates(store));
        copiedAt = before;
        copiedAtNanos = nanos;
        return copy;
    }

    /** The store's position, or null when it does not track one (then the copy could not be trusted). */
    private static Position position(StateStore store) {
        try {
            return store.getPosition();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
