package io.rebill.cli.chaos;

import io.rebill.cli.stack.EmbeddedKafkaBroker;
import io.rebill.cli.stack.KafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link KafkaBroker} in a child JVM ({@link BrokerMain}), which {@link #kill} ends with SIGKILL. */
final class ChildJvmBroker implements KafkaBroker {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private Process process;

    ChildJvmBroker(Path logDir, int port, int controllerPort, Path logFile) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = logFile;
    }

    Path logDir() {
        return logDir;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() throws IOException {
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(),
                logDir.toString(), Integer.toString(port), Integer.toString(controllerPort)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        awaitReady();
    }

    private void awaitReady() {
        try {
            EmbeddedKafkaBroker.awaitAnswering(bootstrapServers(), READY_TIMEOUT, process::isAlive);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; see " + logFile, e);
        }
    }

    /** SIGKILL: the broker gets no chance to shut down in order. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The broker's JVM survived SIGKILL for 30 s");
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
