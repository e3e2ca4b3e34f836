package io.rebill.billing.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 5);

    @Test
    void doublesTheDelayForEachRetry() {
        assertThat(backoff.delayBeforeRetry(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delayBeforeRetry(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayBeforeRetry(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayBeforeRetry(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayBeforeRetry(5)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void neverWaitsLongerThanTheMaximum() {
        assertThat(backoff.delayBeforeRetry(6)).isEqualTo(Duration.ofSeconds(8));
        assertThat(new Backoff(Duration.ofMillis(300), Duration.ofSeconds(1), 9).delayBeforeRetry(3))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void doesNotOverflowForHugeRetryNumbers() {
        assertThat(backoff.delayBeforeRetry(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(8));
        Duration hugeMax = Duration.ofSeconds(Long.MAX_VALUE);
        assertThat(new Backoff(Duration.ofNanos(1), hugeMax, 3).delayBeforeRetry(Integer.MAX_VALUE))
                .isEqualTo(hugeMax);
    }

    @Test
    void isTheSameEveryTime() {
        assertThat(backoff.delayBeforeRetry(3)).isEqualTo(backoff.delayBeforeRetry(3));
    }

    @Test
    void allowsNoDelayAtAll() {
        Backoff immediate = new Backoff(Duration.ZERO, Duration.ZERO, 3);
        assertThat(immediate.delayBeforeRetry(1)).isZero();
        assertThat(immediate.delayBeforeRetry(40)).isZero();
    }

    @Test
    void countsRetriesFromOne() {
        assertThatThrownBy(() -> backoff.delayBeforeRetry(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts at 1");
    }

    @Test
    void refusesInconsistentSettings() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be shorter");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new Backoff(null, Duration.ofSeconds(1), 1))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void systemSleeperSleeps() throws InterruptedException {
        long start = System.nanoTime();
        Sleeper.system().sleep(Duration.ofMillis(20));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        Sleeper.system().sleep(Duration.ZERO);
    }

    @Test
    void systemSleeperAnswersAnInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Sleeper.system().sleep(Duration.ofSeconds(5)))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
