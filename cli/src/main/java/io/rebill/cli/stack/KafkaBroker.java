package io.rebill.cli.stack;

import java.io.IOException;

/**
 * The broker a {@link LocalStack} runs on: {@link EmbeddedKafkaBroker} in this JVM by default, or
 * another that a test can kill outright.
 */
public interface KafkaBroker extends AutoCloseable {

    /** Starts it on its data folder and ports, kept from any earlier start, and waits until it answers. */
    void start() throws IOException;

    String bootstrapServers();

    /** A controlled shutdown. */
    @Override
    void close();
}
