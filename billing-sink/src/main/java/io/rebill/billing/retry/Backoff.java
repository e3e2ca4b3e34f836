package io.rebill.billing.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a call to a payment provider is retried: exponential delays without
 * jitter, so the schedule is the same every time and tests can assert it.
 *
 * @param initial     the delay before the first retry
 * @param max         no delay is longer than this
 * @param maxAttempts attempts in total, the first one included; 1 means never retry
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative()) {
            throw new IllegalArgumentException("initial backoff must not be negative, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "max backoff " + max + " must not be shorter than the initial backoff " + initial);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
    }

    /**
     * The delay before retry number {@code retryNumber} (1 is the first retry, i.e. the second
     * attempt): {@code initial * 2^(retryNumber - 1)}, never more than {@link #max()}.
     */
    public Duration delayBeforeRetry(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retryNumber starts at 1, was " + retryNumber);
        }
        Duration delay = initial;
        // Doubling stops as soon as the cap is reached, so it runs at most ~100 times and a large
        // retryNumber cannot overflow.
        for (int doublings = 1; doublings < retryNumber && delay.compareTo(max) < 0; doublings++) {
            if (delay.isZero()) {
                return delay;
            }
            try {
                delay = delay.multipliedBy(2);
            } catch (ArithmeticException beyondDurationRange) {
                return max;
            }
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
