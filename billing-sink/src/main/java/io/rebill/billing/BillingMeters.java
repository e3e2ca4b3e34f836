package io.rebill.billing;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rebill.billing.push.PlatformPushLoop;
import io.rebill.billing.sink.RefillRequestLoop;
import io.rebill.metrics.HealthProbe;
import java.util.concurrent.atomic.AtomicLong;

/**
 * billing-sink's own meters, read from the counters its loops already keep (nothing is counted
 * twice), as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code rebill_billing_refills_total{outcome}}: refill outcomes committed, by outcome:
 *       {@code succeeded}, {@code failed}, {@code awaiting_offline_payment}, {@code unknown} (given up
 *       after the payment outcome stayed unknown)</li>
 *   <li>{@code rebill_billing_refills_undetermined_total}: attempts whose payment outcome was not known
 *       (the request is held and retried under the same idempotency key)</li>
 *   <li>{@code rebill_billing_refills_already_settled_total}: requests redelivered after their outcome was recorded</li>
 *   <li>{@code rebill_billing_dead_letters_total}: refill requests sent to {@code billing.dead-letter}</li>
 *   <li>{@code rebill_billing_pushes_total}, {@code rebill_billing_push_retries_total},
 *       {@code rebill_billing_push_skipped_total}: platform push events acknowledged, failed attempts
 *       retried, records not pushed; only when the push is configured</li>
 * </ul>
 *
 * The loops count from their start: a restart begins again at zero, which Prometheus reads as a reset.
 */
public final class BillingMeters {

    public static final String REFILLS = "rebill.billing.refills";
    public static final String REFILLS_UNDETERMINED = "rebill.billing.refills.undetermined";
    public static final String REFILLS_ALREADY_SETTLED = "rebill.billing.refills.already.settled";
    public static final String DEAD_LETTERS = "rebill.billing.dead.letters";
    public static final String PUSHES = "rebill.billing.pushes";
    public static final String PUSH_RETRIES = "rebill.billing.push.retries";
    public static final String PUSH_SKIPPED = "rebill.billing.push.skipped";

    private BillingMeters() {
    }

    /** The refill loop's {@link RefillRequestLoop.Counters} as function counters. */
    public static void registerRefills(MeterRegistry registry, RefillRequestLoop.Counters counters) {
        String outcomes = "Refill outcomes committed, by outcome";
        counter(registry, REFILLS, counters.charged, outcomes, "outcome", "succeeded");
        counter(registry, REFILLS, counters.failed, outcomes, "outcome", "failed");
        counter(registry, REFILLS, counters.awaitingOfflinePayment, outcomes, "outcome", "awaiting_offline_payment");
        counter(registry, REFILLS, counters.gaveUp, outcomes, "outcome", "unknown");
        counter(registry, REFILLS_UNDETERMINED, counters.undetermined,
                "Refill attempts whose payment outcome was not known; held and retried under the same key");
        counter(registry, REFILLS_ALREADY_SETTLED, counters.alreadySettled,
                "Refill requests redelivered after their outcome was recorded; nothing charged again");
        counter(registry, DEAD_LETTERS, counters.deadLettered, "Refill requests sent to billing.dead-letter");
    }

    /** The platform push loop's {@code pushed()}, {@code retries()} and {@code skipped()} as function counters. */
    public static void registerPush(MeterRegistry registry, PlatformPushLoop push) {
        FunctionCounter.builder(PUSHES, push, PlatformPushLoop::pushed)
                .description("Access and number events the platform acknowledged").register(registry);
        FunctionCounter.builder(PUSH_RETRIES, push, PlatformPushLoop::retries)
                .description("Failed platform push attempts, each followed by a wait and a retry").register(registry);
        FunctionCounter.builder(PUSH_SKIPPED, push, PlatformPushLoop::skipped)
                .description("Records not pushed: undecodable, or a state with no platform event").register(registry);
    }

    /**
     * Live while the refill loop runs (state STARTING or CONSUMING), ready once it polls (CONSUMING);
     * the state is the loop's.
     */
    public static HealthProbe probe(RefillRequestLoop refills) {
        return () -> {
            RefillRequestLoop.State state = refills.state();
            boolean live = state == RefillRequestLoop.State.STARTING || state == RefillRequestLoop.State.CONSUMING;
            return new HealthProbe.Health(live, state == RefillRequestLoop.State.CONSUMING, state.name());
        };
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong count, String description,
                                String... tags) {
        FunctionCounter.builder(name, count, AtomicLong::get).tags(tags).description(description).register(registry);
    }
}
