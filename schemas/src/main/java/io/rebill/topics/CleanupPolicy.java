package io.rebill.topics;

/** Kafka's cleanup.policy for a topic: history kept for a time, or the latest value per key. */
public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value of the topic config {@code cleanup.policy}. */
    public String configValue() {
        return configValue;
    }
}
