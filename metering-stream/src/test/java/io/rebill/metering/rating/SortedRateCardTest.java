package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SortedRateCardTest {

    @Test
    void shouldFindTheGreatestKeyInEveryRangeAsARangeScanWould() {
        Random random = new Random(7);
        TreeMap<String, Rate> entries = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            entries.put(key(random), InMemoryRateCard.rate("r-" + i, i));
        }
        SortedRateCard card = new SortedRateCard(entries);

        for (int i = 0; i < 5_000; i++) {
            String from = key(random);
            String to = key(random);
            Optional<Rate> scanned = from.compareTo(to) > 0 ? Optional.empty()
                    : Optional.ofNullable(entries.subMap(from, true, to, true).lastEntry()).map(Map.Entry::getValue);
            assertThat(card.lastInRange(from, to)).as("[%s, %s]", from, to).isEqualTo(scanned);
        }
        assertThat(card.size()).isEqualTo(entries.size());
    }

    private static String key(Random random) {
        return "VOICE|OUTBOUND|" + random.nextInt(100) + "|" + random.nextInt(10);
    }
}
