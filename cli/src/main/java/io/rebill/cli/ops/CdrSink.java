package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.schemas.usage.CallDetailRecord;

/**
 * Where {@code rebill import cdrs} puts the CDRs it read: {@code metering.cdr.raw} on a running
 * pipeline ({@link KafkaCdrSink}), or a list in tests that check what would be produced.
 */
public interface CdrSink extends AutoCloseable {

    /** Opens a sink on the cluster the options name, failing with a UserException when it cannot be reached. */
    @FunctionalInterface
    interface Opener {
        CdrSink open(KafkaOptions kafka);
    }

    void send(String key, CallDetailRecord cdr);

    /** Returns once everything sent has been acknowledged; throws if anything was not. */
    void flush();

    @Override
    void close();
}
