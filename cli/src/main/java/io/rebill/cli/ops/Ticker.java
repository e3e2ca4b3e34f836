package io.rebill.cli.ops;

/** Time for commands that pace themselves: the JVM's monotonic clock and sleep, or a fake one in tests. */
public interface Ticker {

    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;

    static Ticker system() {
        return new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }
}
