package io.rebill.metering.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.metering.rating.Rate;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RateCardEntry;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class SnapshotRateCardTest {

    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant CALL = Instant.parse("2026-03-01T10:00:00Z");

    private final FakeGlobalStore store = new FakeGlobalStore();
    private long nanos = 1_000_000_000L;
    private final SnapshotRateCard card = new SnapshotRateCard(store.proxy(), () -> nanos);

    @Test
    void shouldAnswerFromItsCopyWithoutReadingTheStoreWhileTheStoreIsUnchanged() {
        store.publish(rate("nanp", "1", 6_000), 1);
        store.publish(rate("uk", "44", 9_000), 2);

        Optional<Rate> first = find("14155550100");
        int readsAfterCopy = store.reads.get();
        Optional<Rate> second = find("447911123456");
        Optional<Rate> none = find("33612345678");

        assertThat(first).map(Rate::rateId).contains("nanp");
        assertThat(second).map(Rate::rateId).contains("uk");
        assertThat(none).isEmpty();
        assertThat(readsAfterCopy).as("one full read for the copy").isEqualTo(1);
        assertThat(store.reads.get()).as("no store reads once copied").isEqualTo(1);
    }

    @Test
    void shouldSeeARatePublishedAfterTheCopyAtOnceAndCopyAgainAfterTheInterval() {
        store.publish(rate("nanp", "1", 6_000), 1);
        assertThat(find("14155550100")).map(Rate::unitPriceMicros).contains(6_000L);

        store.publish(rate("california", "1415", 4_000), 2);
        Optional<Rate> rightAfter = find("14155550100");
        int readsRightAfter = store.reads.get();
        nanos += SnapshotRateCard.RECOPY_INTERVAL.toNanos();
        Optional<Rate> afterInterval = find("14155550100");
        int readsAfterRecopy = store.reads.get();
        Optional<Rate> fromNewCopy = find("14155550100");

        assertThat(rightAfter).map(Rate::rateId).as("read from the store while the copy is older").contains("california");
        assertThat(readsRightAfter).as("the copy, then one range per candidate prefix").isGreaterThan(1);
        assertThat(afterInterval).map(Rate::rateId).contains("california");
        assertThat(fromNewCopy).map(Rate::rateId).contains("california");
        assertThat(store.reads.get()).as("the new copy answers alone").isEqualTo(readsAfterRecopy);
    }

    @Test
    void shouldReadTheStoreEveryTimeWhenItTracksNoPosition() {
        store.publish(rate("nanp", "1", 6_000), 1);
        store.positionSupported = false;

        find("14155550100");
        int afterFirst = store.reads.get();
        find("14155550100");

        assertThat(find("14155550100")).map(Rate::rateId).contains("nanp");
        assertThat(store.reads.get()).isGreaterThan(afterFirst);
    }

    private Optional<Rate> find(String digits) {
        return card.find(UsageType.VOICE, Direction.OUTBOUND, digits, CALL);
    }

    private static RateCardEntry rate(String rateId, String prefix, long unitPriceMicros) {
        return RateCardEntry.newBuilder().setRateId(rateId).setVersion(1).setUsageType(UsageType.VOICE)
                .setDirection(Direction.OUTBOUND).setDestinationPrefix(prefix).setCurrency("USD")
                .setUnitPriceMicros(unitPriceMicros).setFirstIncrementSeconds(1).setNextIncrementSeconds(1)
                .setValidFrom(JAN).build();
    }

    /** The parts of a global store the rate card uses, with a position that moves on each publish. */
    private static final class FakeGlobalStore {
        final NavigableMap<String, RateCardEntry> entries = new TreeMap<>();
        final AtomicInteger reads = new AtomicInteger();
        Position position = Position.emptyPosition();
        boolean positionSupported = true;

        void publish(RateCardEntry entry, long offset) {
            entries.put(RateCardKey.of(entry), entry);
            position = position.copy().withComponent("metering.rate-card", 0, offset);
        }

        @SuppressWarnings("unchecked")
        KeyValueStore<String, ?> proxy() {
            return (KeyValueStore<String, ?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {KeyValueStore.class}, (self, method, args) -> switch (method.getName()) {
                        case "getPosition" -> {
                            if (!positionSupported) {
                                throw new UnsupportedOperationException("no position");
                            }
                            yield position;
                        }
                        case "all" -> iterator(entries);
                        case "reverseRange" -> iterator(entries.subMap((String) args[0], true, (String) args[1], true)
                                .descendingMap());
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private KeyValueIterator<String, RateCardEntry> iterator(Map<String, RateCardEntry> view) {
            reads.incrementAndGet();
            Iterator<Map.Entry<String, RateCardEntry>> it = new ArrayList<>(view.entrySet()).iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, RateCardEntry> next() {
                    Map.Entry<String, RateCardEntry> next = it.next();
                    return KeyValue.pair(next.getKey(), next.getValue());
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
