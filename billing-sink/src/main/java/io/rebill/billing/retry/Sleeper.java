package io.rebill.billing.retry;

import java.time.Duration;

/**
 * Waits between retries. Production code sleeps the thread; tests pass one that only records the
 * delay, so retry schedules are asserted without waiting for them.
 */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Sleeps the calling thread. */
    static Sleeper system() {
        return duration -> {
            long millis = duration.toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        };
    }
}
