package io.rebill.metering.rating;

import io.rebill.rebilling.Rounding;
import io.rebill.rebilling.Markup;
import java.util.function.LongSupplier;

/**
 * Prices one call from its billable seconds under one rate-card entry: the step of the rating
 * engine between "which rate applies" ({@link RateCard}) and "what the sub-account pays"
 * ({@link Markup}).
 *
 * <p>Billed seconds: a call of 0 seconds bills 0. Otherwise the minimum is applied first, then the
 * increments: with {@code s' = max(s, minimum)}, billed = {@code first} when {@code s' <= first},
 * else {@code first + ceil((s' - first) / next) * next}. So 60/60 bills whole minutes, 30/6 bills
 * 30 seconds then 6-second steps, 1/1 bills the exact seconds.
 *
 * <p>Cost in micro-units: {@code ROUND_HALF_UP(billedSeconds * unitPriceMicros / 60) +
 * connectFeeMicros}, where {@code unitPriceMicros} is the price of one minute. The division by 60
 * is the only rounding, done once per call on the exact product (never per increment), and a
 * remainder of exactly half a micro rounds up. A product that does not fit a long is
 * {@link ReasonCode#AMOUNT_OVERFLOW}, never a wrapped amount.
 *
 * @param unitPriceMicros per minute, in micro-units of the rate's currency
 */
public record VoiceRater(long unitPriceMicros, int firstIncrementSeconds, int nextIncrementSeconds,
                         int minimumBillableSeconds, long connectFeeMicros) {

    private static final long SECONDS_PER_MINUTE = 60;

    /** Checks the entry can be applied; a broken rate-card entry rejects the call rather than billing it wrongly. */
    public VoiceRater {
        if (firstIncrementSeconds < 1 || nextIncrementSeconds < 1) {
            throw new UnratableUsageException(ReasonCode.INVALID_RATE, "Increments must be at least 1 second, got "
                    + firstIncrementSeconds + "/" + nextIncrementSeconds);
        }
        if (minimumBillableSeconds < 0) {
            throw new UnratableUsageException(ReasonCode.INVALID_RATE,
                    "Minimum billable seconds must not be negative, got " + minimumBillableSeconds);
        }
        if (unitPriceMicros < 0 || connectFeeMicros < 0) {
            throw new UnratableUsageException(ReasonCode.INVALID_RATE, "Prices must not be negative, got unit price "
                    + unitPriceMicros + " and connect fee " + connectFeeMicros + " micros");
        }
    }

    /** Seconds the cost is computed on, after the minimum and the increments. */
    public long billedSeconds(long billableSeconds) {
        if (billableSeconds < 0) {
            throw new IllegalArgumentException("Billable seconds must not be negative, got " + billableSeconds);
        }
        if (billableSeconds == 0) {
            return 0;
        }
        long seconds = Math.max(billableSeconds, minimumBillableSeconds);
        if (seconds <= firstIncrementSeconds) {
            return firstIncrementSeconds;
        }
        long nextIncrements = ceilDiv(seconds - firstIncrementSeconds, nextIncrementSeconds);
        return overflowChecked(() -> Math.addExact(firstIncrementSeconds,
                Math.multiplyExact(nextIncrements, nextIncrementSeconds)));
    }

    /** Cost of {@code billedSeconds} (from {@link #billedSeconds}), connect fee included. */
    public long costMicros(long billedSeconds) {
        if (billedSeconds < 0) {
            throw new IllegalArgumentException("Billed seconds must not be negative, got " + billedSeconds);
        }
        return overflowChecked(() -> Math.addExact(proratedCostRoundedHalfUp(billedSeconds), connectFeeMicros));
    }

    /** The rounding rule of voice: the per-minute price prorated to the second, rounded half up to a micro. */
    private long proratedCostRoundedHalfUp(long billedSeconds) {
        return Rounding.divideHalfUp(Math.multiplyExact(billedSeconds, unitPriceMicros), SECONDS_PER_MINUTE);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    private long overflowChecked(LongSupplier amount) {
        try {
            return amount.getAsLong();
        } catch (ArithmeticException e) {
            throw new UnratableUsageException(ReasonCode.AMOUNT_OVERFLOW, "Voice amount overflows a long of micro-units"
                    + " at unit price " + unitPriceMicros + " micros/min", e);
        }
    }
}
