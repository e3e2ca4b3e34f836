package io.rebill.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Metrics and health of a Kafka Streams application. Only the stream services load this class:
 * kafka-streams is an optional dependency of this module.
 */
public final class StreamsMonitoring {

    /** Kafka Streams' task-level count of records it skipped: unreadable ones and processor failures. */
    static final String TASK_GROUP = "stream-task-metrics";
    static final String DROPPED_RECORDS_TOTAL = "dropped-records-total";

    private StreamsMonitoring() {
    }

    /**
     * Binds the application's metrics and those of its embedded clients ({@code kafka_stream_*},
     * {@code kafka_consumer_*}, {@code kafka_producer_*}, {@code kafka_admin_client_*}); call before
     * {@link KafkaStreams#start()} or after, the binder picks up new metrics as they appear.
     */
    public static void bind(ServiceMetrics metrics, KafkaStreams streams) {
        metrics.bind(new KafkaStreamsMetrics(streams, Tags.empty(), metrics.kafkaRefresh(), ServiceMetrics.KAFKA_REFRESH));
    }

    /**
     * Live while the application runs or rebalances (its threads are alive), ready only when it is
     * RUNNING; the state is {@link KafkaStreams.State}'s name.
     */
    public static HealthProbe probe(Supplier<KafkaStreams.State> state) {
        return () -> {
            KafkaStreams.State current = state.get();
            return new HealthProbe.Health(current.isRunningOrRebalancing(), current == KafkaStreams.State.RUNNING,
                    current.name());
        };
    }

    /**
     * Registers {@code name} as a counter of the records Kafka Streams dead-lettered: the sum of
     * every task's {@code dropped-records-total}. With Rebill's defaults (see {@code StreamsDefaults})
     * a dropped record is one that could not be read, or whose processor failed, and went to the
     * application's dead-letter topic.
     *
     * @param source  what {@code metrics} reads; held weakly, as Micrometer holds function counters' sources
     * @param metrics the application's metrics, e.g. {@code KafkaStreams::metrics} or a test driver's
     */
    public static <T> FunctionCounter registerDeadLetters(MeterRegistry registry, String name, String description,
            T source, Function<T, Map<MetricName, ? extends Metric>> metrics) {
        return FunctionCounter.builder(name, source, s -> droppedRecords(metrics.apply(s)))
                .description(description)
                .register(registry);
    }

    /** The sum of every task's {@code dropped-records-total} in {@code metrics}. */
    public static double droppedRecords(Map<MetricName, ? extends Metric> metrics) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (TASK_GROUP.equals(name.group()) && DROPPED_RECORDS_TOTAL.equals(name.name())
                    && entry.getValue().metricValue() instanceof Number value) {
                total += value.doubleValue();
            }
        }
        return total;
    }
}
