package io.rebill.metering.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.rebill.metering.rating.ReasonCode;
import io.rebill.metrics.StreamsMonitoring;
import io.rebill.schemas.common.UsageType;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * metering-stream's own meters, as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code rebill_metering_records_rated_total{usage_type}}: usage records rated into a charge
 *       (corrections included, the reversals they make not counted)</li>
 *   <li>{@code rebill_metering_records_rejected_total{reason}}: records rejected to
 *       {@code metering.charges.rejected}, by reason code</li>
 *   <li>{@code rebill_metering_records_not_billable_total}: valid records that cost nothing</li>
 *   <li>{@code rebill_metering_duplicates_skipped_total}: records dropped as a version already rated</li>
 *   <li>{@code rebill_metering_dead_letters_total}: records Kafka Streams sent to
 *       {@code metering.dead-letter} (unreadable, or their processor failed)</li>
 * </ul>
 *
 * Counted as processed: a transaction that aborts and is processed again counts again.
 */
public final class MeteringMeters {

    public static final String RATED = "rebill.metering.records.rated";
    public static final String REJECTED = "rebill.metering.records.rejected";
    public static final String NOT_BILLABLE = "rebill.metering.records.not.billable";
    public static final String DUPLICATES = "rebill.metering.duplicates.skipped";
    public static final String DEAD_LETTERS = "rebill.metering.dead.letters";

    private final MeterRegistry registry;
    private final Map<UsageType, Counter> rated = new EnumMap<>(UsageType.class);
    private final Map<ReasonCode, Counter> rejected = new EnumMap<>(ReasonCode.class);
    private final Counter notBillable;
    private final Counter duplicates;

    /** Registers every counter at zero, one per usage type and reason code, so dashboards see them from the start. */
    public MeteringMeters(MeterRegistry registry) {
        this.registry = registry;
        for (UsageType type : UsageType.values()) {
            rated.put(type, Counter.builder(RATED).tag("usage_type", type.name())
                    .description("Usage records rated into a charge").register(registry));
        }
        for (ReasonCode reason : ReasonCode.values()) {
            rejected.put(reason, Counter.builder(REJECTED).tag("reason", reason.name())
                    .description("Usage records rejected to metering.charges.rejected").register(registry));
        }
        notBillable = Counter.builder(NOT_BILLABLE).description("Valid usage records that cost nothing")
                .register(registry);
        duplicates = Counter.builder(DUPLICATES).description("Usage records dropped as a version already rated")
                .register(registry);
    }

    /** Meters that record nothing: for topologies built without a registry (tests, tools). */
    public static MeteringMeters none() {
        return new MeteringMeters(new CompositeMeterRegistry());
    }

    /**
     * Counts {@link #DEAD_LETTERS} from the application's metrics ({@code KafkaStreams::metrics}, or a
     * test driver's), which {@code source} must stay referenced to keep.
     */
    public <T> MeteringMeters countDeadLetters(T source, Function<T, Map<MetricName, ? extends Metric>> metrics) {
        StreamsMonitoring.registerDeadLetters(registry, DEAD_LETTERS,
                "Records Kafka Streams sent to metering.dead-letter: unreadable, or their processor failed",
                source, metrics);
        return this;
    }

    void rated(UsageType type) {
        rated.get(type == null ? UsageType.UNKNOWN : type).increment();
    }

    void rejected(ReasonCode reason) {
        rejected.get(reason).increment();
    }

    void notBillable() {
        notBillable.increment();
    }

    void duplicate() {
        duplicates.increment();
    }
}
