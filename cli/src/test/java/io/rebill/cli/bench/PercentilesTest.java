package io.rebill.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToHundredMilliseconds() {
        long[] nanos = LongStream.rangeClosed(1, 100).map(ms -> ms * 1_000_000L).toArray();
        Percentiles p = Percentiles.of(nanos);
        assertEquals(100, p.count());
        assertEquals(50.0, p.p50Millis());
        assertEquals(95.0, p.p95Millis());
        assertEquals(99.0, p.p99Millis());
        assertEquals(100.0, p.maxMillis());
    }

    @Test
    void unsortedInputIsSortedWithoutChangingIt() {
        long[] nanos = {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000};
        Percentiles p = Percentiles.of(nanos);
        assertEquals(3.0, p.p50Millis());
        assertEquals(5.0, p.p95Millis());
        assertEquals(5.0, p.p99Millis());
        assertEquals(5_000_000, nanos[0]);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        Percentiles p = Percentiles.of(new long[] {7_500_000});
        assertEquals(7.5, p.p50Millis());
        assertEquals(7.5, p.p99Millis());
    }

    @Test
    void noSamplesIsNotANumber() {
        Percentiles p = Percentiles.of(new long[0]);
        assertEquals(0, p.count());
        assertTrue(Double.isNaN(p.p99Millis()));
    }

    @Test
    void rankAtTheEdges() {
        long[] sorted = {1, 2, 3, 4};
        assertEquals(1, Percentiles.rank(sorted, 0));
        assertEquals(2, Percentiles.rank(sorted, 50));
        assertEquals(4, Percentiles.rank(sorted, 100));
    }

    @Test
    void differencesKeepOnlyRecordsSentAndSeen() {
        long[] sent = {100, 0, 300, 400};
        long[] seen = {150, 250, 0, 460};
        long[] diffs = BenchRunner.differences(sent, seen);
        assertEquals(2, diffs.length);
        assertEquals(50, diffs[0]);
        assertEquals(60, diffs[1]);
    }
}
