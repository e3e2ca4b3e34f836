package io.rebill.wallet.refill;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * Everything the refill policy remembers about one wallet between records. wallet-stream keeps it
 * beside the wallet in the workspace's store, so it changes in the same exactly-once transaction as
 * the balance it reacts to. Only {@link RefillPolicy} should derive new states.
 *
 * @param settings               the owner's configuration, null when never configured
 * @param pending                the request sent to billing and not yet answered, or null
 * @param backoffUntil           no request before this instant (after a failed payment), or null
 * @param lastFailure            the last failed payment, null once money has arrived since
 * @param month                  the UTC month {@code monthRequestedMicros} counts, null before the first request
 * @param monthRequestedMicros   requested (while pending) or paid in {@code month}, checked against the cap
 * @param sequence               number of requests emitted so far; the next id uses {@code sequence + 1}
 */
public record RefillState(
        RefillSettings settings,
        PendingRefill pending,
        Instant backoffUntil,
        RefillFailure lastFailure,
        YearMonth month,
        long monthRequestedMicros,
        long sequence) {

    public RefillState {
        if (monthRequestedMicros < 0) {
            throw new IllegalArgumentException("monthly refill total must be >= 0, was " + monthRequestedMicros);
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("refill sequence must be >= 0, was " + sequence);
        }
    }

    /** A wallet whose owner never configured auto-refill. */
    public static RefillState initial() {
        return new RefillState(null, null, null, null, null, 0L, 0L);
    }

    /** A wallet with the given settings and no history. */
    public static RefillState configured(RefillSettings settings) {
        return new RefillState(Objects.requireNonNull(settings, "settings"), null, null, null, null, 0L, 0L);
    }

    /** The refill request billing-sink is working on. */
    public record PendingRefill(String requestId, long amountMicros, Instant requestedAt) {
        public PendingRefill {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(requestedAt, "requestedAt");
            if (amountMicros <= 0) {
                throw new IllegalArgumentException("pending refill amount must be > 0, was " + amountMicros);
            }
        }
    }

    /**
     * A failed refill payment as billing-sink reported it.
     *
     * @param code        Stripe's error code, e.g. {@code card_declined}
     * @param declineCode the issuer's decline code when there is one, e.g. {@code insufficient_funds}
     */
    public record RefillFailure(String requestId, String code, String declineCode, Instant at) {
        public RefillFailure {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(at, "at");
        }
    }
}
