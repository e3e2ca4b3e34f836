package io.rebill.topics;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with everything needed to read, write and create it, so no topology or tool picks a
 * serde or a partition count by hand.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                          CleanupPolicy cleanupPolicy) {

    public Topic {
        if (!name.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("Topic name '" + name
                    + "' must be lower-case segments joined by dots, hyphens inside a segment");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic '" + name + "' needs at least one partition");
        }
    }

    /** Topic-level configs to create it with. */
    public Map<String, String> configs() {
        return Map.of("cleanup.policy", cleanupPolicy.configValue());
    }
}
