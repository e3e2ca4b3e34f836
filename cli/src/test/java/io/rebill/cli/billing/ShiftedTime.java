package io.rebill.cli.billing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/**
 * Wall-clock time moved by an offset the test changes: wallet-stream starts a month in the past and
 * is moved to the present, so a number bought "a month ago" comes up for renewal now.
 */
final class ShiftedTime implements Time {

    private final AtomicLong offsetMillis;

    ShiftedTime(Duration offset) {
        this.offsetMillis = new AtomicLong(offset.toMillis());
    }

    void setOffset(Duration offset) {
        offsetMillis.set(offset.toMillis());
    }

    @Override
    public long milliseconds() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public long nanoseconds() {
        return System.nanoTime();
    }

    @Override
    public void sleep(long ms) {
        Time.SYSTEM.sleep(ms);
    }

    @Override
    public void waitObject(Object object, Supplier<Boolean> condition, long deadlineMs) throws InterruptedException {
        // Deadlines are computed from milliseconds(); wait for the same span on the system clock.
        Time.SYSTEM.waitObject(object, condition, deadlineMs - offsetMillis.get());
    }
}
