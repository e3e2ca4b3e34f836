package io.rebill.metering.processor;

import io.rebill.streams.GlobalStoreMemo;
import io.rebill.streams.StoreValues;
import io.rebill.rebilling.RebillingSettingsLookup;
import io.rebill.metering.rating.Rate;
import io.rebill.metering.rating.RateCard;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RebillingSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rating domain's views of the two global tables the rating processor reads. A DSL global
 * table's store holds {@code ValueAndTimestamp<V>} by default and {@code ValueTimestampHeaders<V>}
 * with {@code dsl.store.format=HEADERS}; both are unwrapped here so the format can change freely.
 */
final class GlobalStoreViews {

    private static final Logger log = LoggerFactory.getLogger(GlobalStoreViews.class);

    private GlobalStoreViews() {
    }

    static RateCard rateCard(ReadOnlyKeyValueStore<String, ?> store) {
        return (fromKey, toKey) -> {
            try (KeyValueIterator<String, ?> entries = store.reverseRange(fromKey, toKey)) {
                while (entries.hasNext()) {
                    KeyValue<String, ?> stored = entries.next();
                    RateCardEntry entry = valueOf(stored.value, RateCardEntry.class);
                    if (isKeyedByRateCardKey(stored.key, entry)) {
                        return Optional.of(RatingRecords.rate(entry));
                    }
                }
            }
            return Optional.empty();
        };
    }

    /** Every well-keyed rate of the rate-card store, by key: what {@link #rateCard} would find, in memory. */
    static Map<String, Rate> allRates(ReadOnlyKeyValueStore<String, ?> store) {
        Map<String, Rate> rates = new HashMap<>();
        try (KeyValueIterator<String, ?> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<String, ?> stored = entries.next();
                RateCardEntry entry = valueOf(stored.value, RateCardEntry.class);
                if (entry != null && isKeyedByRateCardKey(stored.key, entry)) {
                    rates.put(stored.key, RatingRecords.rate(entry));
                }
            }
        }
        return rates;
    }

    static RebillingSettingsLookup rebillingSettings(ReadOnlyKeyValueStore<String, ?> store) {
        return key -> Optional.ofNullable(valueOf(store.get(key), RebillingSettings.class))
                .map(RatingRecords::rebillingTerms);
    }

    /** {@link #rebillingSettings}, each answer remembered until the store changes (two reads per record otherwise). */
    static <S extends ReadOnlyKeyValueStore<String, ?> & StateStore> RebillingSettingsLookup rememberedRebillingSettings(
            S store) {
        return new GlobalStoreMemo<>(store, rebillingSettings(store)::find)::apply;
    }

    static <V> V valueOf(Object stored, Class<V> type) {
        return StoreValues.unwrap(stored, type);
    }

    /**
     * A range scan trusts that a key says what its entry is; an entry published under a hand-made
     * key (unpadded validFrom, another prefix) would otherwise price calls it was never meant for.
     */
    private static boolean isKeyedByRateCardKey(String key, RateCardEntry entry) {
        String expected;
        try {
            expected = RateCardKey.of(entry);
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring rate-card entry under key '{}': {}", key, e.getMessage());
            return false;
        }
        if (!expected.equals(key)) {
            log.warn("Ignoring rate-card entry under key '{}': RateCardKey.of(entry) is '{}'", key, expected);
            return false;
        }
        return true;
    }
}
