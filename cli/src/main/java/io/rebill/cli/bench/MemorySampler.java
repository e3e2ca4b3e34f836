package io.rebill.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the JVM's used heap every 100 ms on a daemon thread and keeps the maximum; measures the live heap on demand. */
final class MemorySampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakHeap = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    MemorySampler() {
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void sample() {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** The most heap in use seen so far, in bytes. */
    long peakHeapBytes() {
        sample();
        return peakHeap.get();
    }

    /**
     * The heap still reachable now: used heap right after a full collection. Unlike the peak, which
     * follows how lazily the collector runs, this grows only with what the services keep, so it is
     * the figure to compare between a 1 M and a 10 M run.
     */
    long liveHeapBytes() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** This process's peak resident set (VmHWM) in bytes, or -1 where /proc is not available. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
