package io.rebill.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class StreamsMonitoringTest {

    @Test
    void shouldCountDeadLettersAsEveryTasksDroppedRecords() {
        Map<MetricName, Metric> metrics = new HashMap<>();
        metrics.put(name("stream-task-metrics", "dropped-records-total", "0_0"), metric(2));
        metrics.put(name("stream-task-metrics", "dropped-records-total", "1_0"), metric(3));
        metrics.put(name("stream-task-metrics", "dropped-records-rate", "0_0"), metric(7));
        metrics.put(name("stream-thread-metrics", "process-total", "0_0"), metric(11));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        StreamsMonitoring.registerDeadLetters(registry, "rebill.test.dead.letters", "test", metrics, m -> m);

        assertThat(registry.get("rebill.test.dead.letters").functionCounter().count()).isEqualTo(5.0);
    }

    private static MetricName name(String group, String name, String task) {
        return new MetricName(name, group, "", Map.of("task-id", task, "thread-id", "t-1"));
    }

    private static Metric metric(double value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }
}
