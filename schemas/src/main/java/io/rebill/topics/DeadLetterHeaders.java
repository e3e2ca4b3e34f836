package io.rebill.topics;

/**
 * The headers a raw dead-letter record carries, so {@code rebill dlq} reads every service's dead
 * letters alike: Kafka Streams writes these itself (KIP-1034, constants in an internal package) and
 * billing-sink, a plain consumer, writes the same ones.
 */
public final class DeadLetterHeaders {

    public static final String PREFIX = "__streams.errors.";
    public static final String EXCEPTION = PREFIX + "exception";
    public static final String MESSAGE = PREFIX + "message";
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";

    private DeadLetterHeaders() {
    }
}
