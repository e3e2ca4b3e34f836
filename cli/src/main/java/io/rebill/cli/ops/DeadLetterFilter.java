package io.rebill.cli.ops;

import picocli.CommandLine.Option;

/** Which dead-letter topic {@code rebill dlq} works on, and which of its records. */
public final class DeadLetterFilter {

    @Option(names = "--topic", defaultValue = DeadLetterTopic.DEFAULT, paramLabel = "TOPIC",
            description = {"One of " + DeadLetterTopic.NAMES + ".", "Default: ${DEFAULT-VALUE}"})
    String topic;

    @Option(names = "--reason", paramLabel = "CODE",
            description = "Only records with this reason code, e.g. NO_RATE or INVALID_NUMBER; on the *.dead-letter "
                    + "topics, the exception's simple class name, e.g. SerializationException (any case).")
    String reason;

    boolean matches(DeadLetterEntry entry) {
        return reason == null || reason.equalsIgnoreCase(entry.reasonCode());
    }

    /** {@code " with reason NO_RATE"}, or nothing without --reason. */
    String describe() {
        return reason == null ? "" : " with reason " + reason;
    }
}
