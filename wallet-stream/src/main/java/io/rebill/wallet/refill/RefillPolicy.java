package io.rebill.wallet.refill;

import io.rebill.wallet.refill.RefillState.PendingRefill;
import io.rebill.wallet.refill.RefillState.RefillFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The auto-refill policy of one wallet: when to ask billing-sink to charge the owner's card, and for
 * how much. wallet-stream calls it per workspace, in the one processor that applies charges and
 * commands, after every balance change and for every refill outcome, and stores the returned
 * {@link RefillState} in the same exactly-once transaction as the balance; so the policy is pure and
 * a replay decides exactly as the first run did.
 *
 * <p>Rules: at most one request is outstanding per wallet (a second one would charge the card twice
 * for the same shortfall); after a failed payment no request is made before the back-off ends (a
 * declined card is not retried in a loop); what is requested or paid in a UTC calendar month never
 * exceeds the owner's monthly cap, a pending request counting as if paid.
 */
public final class RefillPolicy {

    /** Prefix of request ids: {@code refill:{walletId}:{sequence}}. */
    public static final String REQUEST_ID_PREFIX = "refill:";

    private RefillPolicy() {
    }

    /** Why a decision did or did not emit a request; for logs and metrics, never needed for correctness. */
    public enum Outcome {
        REQUESTED,
        /** never configured, or configured and turned off */
        DISABLED,
        /** the balance is at or above the threshold (and covers what is needed) */
        NOT_NEEDED,
        /** a request is outstanding */
        PENDING,
        /** a payment failed and its back-off has not ended */
        BACKING_OFF,
        /** the monthly cap leaves no room */
        CAP_REACHED
    }

    /** The wallet's refill state after a decision, and the request to emit, if any. */
    public record Decision(RefillState state, Optional<RefillRequest> request, Outcome outcome) {
        public Decision {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * Decides after the balance changed (a charge, a top-up, a credit) or on a punctuation, when the
     * back-off may have ended. Below the threshold it requests the fixed amount, or what brings the
     * balance back to the target, limited to what the monthly cap still allows.
     */
    public static Decision afterBalanceChange(String walletId, long balanceMicros, RefillState state, Instant now) {
        return decide(walletId, balanceMicros, OptionalLong.empty(), state, now);
    }

    /**
     * Decides when a payment from this wallet needs {@code neededMicros} (a phone number's renewal):
     * refills also when the balance is above the threshold but short of what is needed, for at least
     * the shortfall, so the renewal can go through when the payment arrives.
     */
    public static Decision needFunds(String walletId, long balanceMicros, long neededMicros, RefillState state,
            Instant now) {
        if (neededMicros < 0) {
            throw new IllegalArgumentException("needed amount must be >= 0 micros, was " + neededMicros);
        }
        return decide(walletId, balanceMicros, OptionalLong.of(neededMicros), state, now);
    }

    /**
     * Billing-sink charged the card. For the pending request the paid amount replaces the requested
     * one in its month's total, and a recorded failure and its back-off end: the card works. Any other
     * id (a replayed outcome, a top-up for an old request) leaves the state as it is; the processor
     * credits that money through the ledger and calls {@link #onToppedUp} as for any top-up.
     */
    public static RefillState onSucceeded(RefillState state, String requestId, long paidMicros, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        if (paidMicros < 0) {
            throw new IllegalArgumentException("paid amount must be >= 0 micros, was " + paidMicros);
        }
        if (!isPending(state, requestId)) {
            return state;
        }
        RefillState rolled = rollMonth(state, now);
        long total = countedInMonth(rolled, state.pending())
                ? Math.addExact(Math.subtractExact(rolled.monthRequestedMicros(), state.pending().amountMicros()),
                        paidMicros)
                : rolled.monthRequestedMicros();
        return new RefillState(rolled.settings(), null, null, null, rolled.month(), Math.max(0L, total),
                rolled.sequence());
    }

    /**
     * Billing-sink could not charge the card. For the pending request: its amount no longer counts
     * against the cap, the failure is remembered (it puts an empty sub-account On Hold) and no request
     * is made before {@code now + backoff}. Any other id leaves the state as it is.
     */
    public static RefillState onFailed(RefillState state, String requestId, String code, String declineCode,
            Instant now, Duration backoff) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(backoff, "backoff");
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("refill back-off must not be negative, was " + backoff);
        }
        if (!isPending(state, requestId)) {
            return state;
        }
        RefillState rolled = rollMonth(state, now);
        long total = countedInMonth(rolled, state.pending())
                ? Math.subtractExact(rolled.monthRequestedMicros(), state.pending().amountMicros())
                : rolled.monthRequestedMicros();
        // Clamped: a state restored by hand may not have counted the pending amount.
        return new RefillState(rolled.settings(), null, now.plus(backoff),
                new RefillFailure(requestId, code, declineCode, now), rolled.month(), Math.max(0L, total),
                rolled.sequence());
    }

    /** New settings take effect at the next decision; an outstanding request and a back-off stay. */
    public static RefillState onSettings(RefillState state, RefillSettings settings) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(settings, "settings");
        return new RefillState(settings, state.pending(), state.backoffUntil(), state.lastFailure(), state.month(),
                state.monthRequestedMicros(), state.sequence());
    }

    /**
     * Money arrived by a top-up or credit: the wallet is no longer "refill failed" (it leaves On Hold).
     * The back-off stays, since the saved card has not been shown to work.
     */
    public static RefillState onToppedUp(RefillState state) {
        Objects.requireNonNull(state, "state");
        if (state.lastFailure() == null) {
            return state;
        }
        return new RefillState(state.settings(), state.pending(), state.backoffUntil(), null, state.month(),
                state.monthRequestedMicros(), state.sequence());
    }

    /** A refill payment failed and no money has arrived since. */
    public static boolean lastRefillFailed(RefillState state) {
        return state.lastFailure() != null;
    }

    private static Decision decide(String walletId, long balanceMicros, OptionalLong neededMicros, RefillState state,
            Instant now) {
        if (walletId == null || walletId.isBlank()) {
            throw new IllegalArgumentException("wallet id must not be blank");
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");

        RefillState rolled = rollMonth(state, now);
        RefillSettings settings = rolled.settings();
        if (settings == null || !settings.enabled()) {
            return skip(rolled, Outcome.DISABLED);
        }
        boolean belowThreshold = balanceMicros < settings.thresholdMicros();
        boolean shortOfNeeded = neededMicros.isPresent() && balanceMicros < neededMicros.getAsLong();
        if (!belowThreshold && !shortOfNeeded) {
            return skip(rolled, Outcome.NOT_NEEDED);
        }
        if (rolled.pending() != null) {
            return skip(rolled, Outcome.PENDING);
        }
        if (rolled.backoffUntil() != null && now.isBefore(rolled.backoffUntil())) {
            return skip(rolled, Outcome.BACKING_OFF);
        }

        long amount = normalSize(settings, balanceMicros);
        if (shortOfNeeded) {
            amount = Math.max(amount, Math.subtractExact(neededMicros.getAsLong(), balanceMicros));
        }
        if (settings.monthlyCapMicros() != null) {
            amount = Math.min(amount, Math.subtractExact(settings.monthlyCapMicros(), rolled.monthRequestedMicros()));
        }
        // Only the cap can bring the size to zero or below: both sizes are positive below the threshold.
        if (amount <= 0) {
            return skip(rolled, Outcome.CAP_REACHED);
        }

        long sequence = Math.addExact(rolled.sequence(), 1L);
        String requestId = REQUEST_ID_PREFIX + walletId + ":" + sequence;
        RefillState next = new RefillState(settings, new PendingRefill(requestId, amount, now),
                rolled.backoffUntil(), rolled.lastFailure(), rolled.month(),
                Math.addExact(rolled.monthRequestedMicros(), amount), sequence);
        RefillRequest request = new RefillRequest(requestId, walletId, amount, balanceMicros,
                settings.thresholdMicros(), settings.offlinePayment(), now);
        return new Decision(next, Optional.of(request), Outcome.REQUESTED);
    }

    private static long normalSize(RefillSettings settings, long balanceMicros) {
        return settings.targetBalanceMicros() != null
                ? Math.subtractExact(settings.targetBalanceMicros(), balanceMicros)
                : settings.refillAmountMicros();
    }

    /**
     * Starts counting a new month when {@code now} is in a later one. A clock that goes back does not
     * reopen an earlier month: the later month keeps counting, which can only make the cap stricter.
     */
    private static RefillState rollMonth(RefillState state, Instant now) {
        YearMonth current = monthOf(now);
        if (state.month() != null && !current.isAfter(state.month())) {
            return state;
        }
        return new RefillState(state.settings(), state.pending(), state.backoffUntil(), state.lastFailure(),
                current, 0L, state.sequence());
    }

    /** A pending request counts in the month it was made; once that month is over it no longer matters. */
    private static boolean countedInMonth(RefillState rolled, PendingRefill pending) {
        return monthOf(pending.requestedAt()).equals(rolled.month());
    }

    private static boolean isPending(RefillState state, String requestId) {
        return state.pending() != null && state.pending().requestId().equals(requestId);
    }

    static YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC));
    }

    private static Decision skip(RefillState state, Outcome outcome) {
        return new Decision(state, Optional.empty(), outcome);
    }
}
