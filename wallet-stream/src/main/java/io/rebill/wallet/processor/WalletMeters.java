package io.rebill.wallet.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.rebill.metrics.StreamsMonitoring;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.streams.StoreValues;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * wallet-stream's own meters, as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code rebill_wallet_charges_applied_total}: rated charges applied to the wallets (a charge id
 *       already applied is skipped, not counted)</li>
 *   <li>{@code rebill_wallet_refills_requested_total}: refill requests published on
 *       {@code billing.refill.requested}</li>
 *   <li>{@code rebill_wallet_rejected_total{reason}}: charges and commands rejected to
 *       {@code wallet.rejected}, by reason code (registered at the first rejection of each)</li>
 *   <li>{@code rebill_wallet_dead_letters_total}: records Kafka Streams sent to {@code wallet.dead-letter}</li>
 *   <li>{@code rebill_wallet_sub_accounts_on_hold}: sub-accounts whose access is ON_HOLD now, counted
 *       in the global access store at each scrape, so every instance reports the same, whole number</li>
 * </ul>
 *
 * Counters are counted as processed: a transaction that aborts and is processed again counts again.
 */
public final class WalletMeters {

    public static final String CHARGES_APPLIED = "rebill.wallet.charges.applied";
    public static final String REFILLS_REQUESTED = "rebill.wallet.refills.requested";
    public static final String REJECTED = "rebill.wallet.rejected";
    public static final String DEAD_LETTERS = "rebill.wallet.dead.letters";
    public static final String SUB_ACCOUNTS_ON_HOLD = "rebill.wallet.sub.accounts.on.hold";

    private final MeterRegistry registry;
    private final Counter chargesApplied;
    private final Counter refillsRequested;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public WalletMeters(MeterRegistry registry) {
        this.registry = registry;
        chargesApplied = Counter.builder(CHARGES_APPLIED).description("Rated charges applied to the wallets")
                .register(registry);
        refillsRequested = Counter.builder(REFILLS_REQUESTED)
                .description("Refill requests published on billing.refill.requested").register(registry);
    }

    /** Meters that record nothing: for topologies built without a registry (tests, tools). */
    public static WalletMeters none() {
        return new WalletMeters(new CompositeMeterRegistry());
    }

    /**
     * Counts {@link #DEAD_LETTERS} from the application's metrics ({@code KafkaStreams::metrics}, or a
     * test driver's), which {@code source} must stay referenced to keep.
     */
    public <T> WalletMeters countDeadLetters(T source, Function<T, Map<MetricName, ? extends Metric>> metrics) {
        StreamsMonitoring.registerDeadLetters(registry, DEAD_LETTERS,
                "Records Kafka Streams sent to wallet.dead-letter: unreadable, or their processor failed",
                source, metrics);
        return this;
    }

    /** Registers {@link #SUB_ACCOUNTS_ON_HOLD}, read from {@code onHold} at each scrape (NaN when unknown). */
    public WalletMeters gaugeOnHold(DoubleSupplier onHold) {
        Gauge.builder(SUB_ACCOUNTS_ON_HOLD, onHold, DoubleSupplier::getAsDouble)
                .description("Sub-accounts whose access is ON_HOLD (a refill failed and their wallet is empty)")
                .strongReference(true)
                .register(registry);
        return this;
    }

    /** Sub-accounts whose latest access status in the (global) access store is ON_HOLD. */
    public static long countOnHold(ReadOnlyKeyValueStore<String, ?> accessStore) {
        long onHold = 0;
        try (KeyValueIterator<String, ?> all = accessStore.all()) {
            while (all.hasNext()) {
                AccessStatus status = StoreValues.unwrap(all.next().value, AccessStatus.class);
                if (status != null && status.getState() == AccessState.ON_HOLD) {
                    onHold++;
                }
            }
        }
        return onHold;
    }

    /** One charge applied; called by the processor. */
    public void chargeApplied() {
        chargesApplied.increment();
    }

    /** Refill requests published; called by the processor. */
    public void refillsRequested(int count) {
        if (count > 0) {
            refillsRequested.increment(count);
        }
    }

    /** One record rejected with this reason code; called by the processor. */
    public void rejected(String reasonCode) {
        rejected.computeIfAbsent(reasonCode, reason -> Counter.builder(REJECTED).tag("reason", reason)
                .description("Charges and commands rejected to wallet.rejected").register(registry)).increment();
    }
}
