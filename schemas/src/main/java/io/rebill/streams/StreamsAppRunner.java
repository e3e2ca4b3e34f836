package io.rebill.streams;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a stream application from {@code main} until the JVM shuts down or the application fails. */
public final class StreamsAppRunner {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(StreamsAppRunner.class);

    private StreamsAppRunner() {
    }

    /** Starts the application and blocks; returns the process exit code (1 after a fatal error). */
    public static int runUntilShutdown(KafkaStreams streams, String applicationId) throws InterruptedException {
        return runUntilShutdown(streams, applicationId, () -> streams.close(CLOSE_TIMEOUT), streams::start);
    }

    /**
     * As {@link #runUntilShutdown(KafkaStreams, String)} for an application that starts and stops
     * more than its streams (an HTTP API, say): {@code start} and {@code close} do both.
     */
    public static int runUntilShutdown(KafkaStreams streams, String applicationId, Runnable close, Runnable start)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            stopped.countDown();
        }, applicationId + "-shutdown"));
        log.info("Starting {}", applicationId);
        start.run();
        stopped.await();
        if (streams.state() == KafkaStreams.State.ERROR) {
            close.run();
            log.error("{} stopped after an unrecoverable error; see the log above", applicationId);
            return 1;
        }
        return 0;
    }
}
