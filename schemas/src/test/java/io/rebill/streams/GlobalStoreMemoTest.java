package io.rebill.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.Position;
import org.junit.jupiter.api.Test;

class GlobalStoreMemoTest {

    private final Map<String, String> values = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private Position position = Position.emptyPosition();
    private boolean positionSupported = true;
    private final GlobalStoreMemo<String, Optional<String>> memo = new GlobalStoreMemo<>(store(), key -> {
        reads.incrementAndGet();
        return Optional.ofNullable(values.get(key));
    });

    @Test
    void shouldAnswerFromMemoryWhileTheStoreIsUnchanged() {
        publish("ws-1", "1.05x", 1);

        assertThat(memo.apply("ws-1")).contains("1.05x");
        assertThat(memo.apply("ws-1/sa-1")).isEmpty();
        assertThat(memo.apply("ws-1")).contains("1.05x");
        assertThat(memo.apply("ws-1/sa-1")).isEmpty();

        assertThat(reads.get()).as("one read per key, absent keys included").isEqualTo(2);
    }

    @Test
    void shouldForgetEveryAnswerAsSoonAsTheStoreAppliesAnUpdate() {
        publish("ws-1", "1.05x", 1);
        assertThat(memo.apply("ws-1")).contains("1.05x");
        assertThat(memo.apply("ws-1/sa-1")).isEmpty();

        publish("ws-1/sa-1", "1.20x", 2);

        assertThat(memo.apply("ws-1/sa-1")).contains("1.20x");
        assertThat(memo.apply("ws-1")).contains("1.05x");
        assertThat(reads.get()).isEqualTo(4);
    }

    @Test
    void shouldReadEveryTimeWhenTheStoreTracksNoPosition() {
        positionSupported = false;
        values.put("ws-1", "1.05x");

        memo.apply("ws-1");
        memo.apply("ws-1");

        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void shouldStayBoundedWhenAskedForMoreKeysThanItKeeps() {
        publish("ws-1", "1.05x", 1);
        for (int i = 0; i < GlobalStoreMemo.MAX_ANSWERS; i++) {
            memo.apply("sa-" + i);
        }
        memo.apply("ws-1");
        int afterOverflow = reads.get();
        memo.apply("ws-1");
        memo.apply("sa-0");

        assertThat(afterOverflow).isEqualTo(GlobalStoreMemo.MAX_ANSWERS + 1);
        assertThat(reads.get()).as("ws-1 kept after the reset, sa-0 forgotten").isEqualTo(afterOverflow + 1);
    }

    @Test
    void shouldRefuseALookupThatAnswersNull() {
        GlobalStoreMemo<String, String> nullable = new GlobalStoreMemo<>(store(), key -> null);

        assertThatThrownBy(() -> nullable.apply("ws-1")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("must not answer null");
    }

    private void publish(String key, String value, long offset) {
        values.put(key, value);
        Position next = position.copy();
        next.withComponent("metering.rebilling-settings", 0, offset);
        position = next;
    }

    private StateStore store() {
        return (StateStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StateStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPosition" -> {
                        if (!positionSupported) {
                            throw new UnsupportedOperationException("no position");
                        }
                        yield position;
                    }
                    case "name" -> "settings";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
