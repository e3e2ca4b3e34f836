package io.rebill.streams;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.Position;

/**
 * Answers read from a global store, remembered while the store's {@link Position} (the offsets of
 * its topic it has applied) is still the one they were read at. Settings such as re-billing terms
 * change rarely but are read for every record: a remembered answer is a map lookup instead of a
 * RocksDB read, and any update to the store forgets every answer, so none is older than the store.
 * A store that tracks no position is read every time. One instance per processor: not thread-safe.
 */
public final class GlobalStoreMemo<K, V> implements Function<K, V> {

    /** Answers kept at most; past it they are all forgotten, so memory stays bounded. */
    static final int MAX_ANSWERS = 100_000;

    private final StateStore store;
    private final Function<K, V> read;
    private final Map<K, V> answers = new HashMap<>();
    private Position answeredAt;

    /** @param read the store lookup; it must not return null (use {@code Optional}) */
    public GlobalStoreMemo(StateStore store, Function<K, V> read) {
        this.store = store;
        this.read = read;
    }

    @Override
    public V apply(K key) {
        Position now = position();
        if (now == null) {
            return read(key);
        }
        if (!now.equals(answeredAt)) {
            answers.clear();
            // Copied before reading: an update during the read leaves the answers marked older, so they go.
            answeredAt = now.copy();
        }
        V known = answers.get(key);
        if (known != null) {
            return known;
        }
        if (answers.size() >= MAX_ANSWERS) {
            answers.clear();
        }
        V answer = read(key);
        answers.put(key, answer);
        return answer;
    }

    private V read(K key) {
        return Objects.requireNonNull(read.apply(key), "a memoised lookup must not answer null");
    }

    private Position position() {
        try {
            return store.getPosition();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
