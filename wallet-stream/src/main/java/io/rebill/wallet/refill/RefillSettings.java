package io.rebill.wallet.refill;

/**
 * How one wallet (a workspace's or a sub-account's) refills itself from its owner's saved card, as the
 * owner configured it. Arrives on {@code wallet.commands}; {@link RefillPolicy} reads it.
 *
 * <p>A refill is sized either as a fixed amount or as whatever brings the balance back to a target.
 * A disabled configuration keeps its values so that turning it back on needs nothing else; it may
 * then hold neither size yet, but never both.
 *
 * @param thresholdMicros    a refill is due when the balance drops below this
 * @param refillAmountMicros fixed size of one refill, or null when sized by target
 * @param targetBalanceMicros balance a refill brings the wallet back to, or null when sized by amount
 * @param monthlyCapMicros   most that may be requested (or paid) per UTC calendar month, null for no cap
 * @param offlinePayment     the card is charged without the owner present (Stripe off-session)
 */
public record RefillSettings(
        boolean enabled,
        long thresholdMicros,
        Long refillAmountMicros,
        Long targetBalanceMicros,
        Long monthlyCapMicros,
        boolean offlinePayment) {

    public RefillSettings {
        if (thresholdMicros < 0) {
            throw new IllegalArgumentException("refill threshold must be >= 0 micros, was " + thresholdMicros);
        }
        if (refillAmountMicros != null && targetBalanceMicros != null) {
            throw new IllegalArgumentException(
                    "refill settings take either a refill amount or a target balance, not both");
        }
        if (enabled && refillAmountMicros == null && targetBalanceMicros == null) {
            throw new IllegalArgumentException(
                    "enabled refill settings need a refill amount or a target balance");
        }
        if (refillAmountMicros != null && refillAmountMicros <= 0) {
            throw new IllegalArgumentException("refill amount must be > 0 micros, was " + refillAmountMicros);
        }
        if (targetBalanceMicros != null && targetBalanceMicros <= thresholdMicros) {
            throw new IllegalArgumentException("target balance must be above the threshold ("
                    + thresholdMicros + " micros), was " + targetBalanceMicros);
        }
        if (monthlyCapMicros != null && monthlyCapMicros <= 0) {
            throw new IllegalArgumentException("monthly cap must be > 0 micros when set, was " + monthlyCapMicros);
        }
    }

    /** Enabled: below {@code thresholdMicros}, request {@code amountMicros}; no cap, on-session. */
    public static RefillSettings fixedAmount(long thresholdMicros, long amountMicros) {
        return new RefillSettings(true, thresholdMicros, amountMicros, null, null, false);
    }

    /** Enabled: below {@code thresholdMicros}, request what brings the balance to the target; no cap. */
    public static RefillSettings toTarget(long thresholdMicros, long targetBalanceMicros) {
        return new RefillSettings(true, thresholdMicros, null, targetBalanceMicros, null, false);
    }

    public RefillSettings withMonthlyCap(Long capMicros) {
        return new RefillSettings(enabled, thresholdMicros, refillAmountMicros, targetBalanceMicros, capMicros,
                offlinePayment);
    }

    public RefillSettings withOfflinePayment(boolean offline) {
        return new RefillSettings(enabled, thresholdMicros, refillAmountMicros, targetBalanceMicros,
                monthlyCapMicros, offline);
    }

    public RefillSettings withEnabled(boolean on) {
        return new RefillSettings(on, thresholdMicros, refillAmountMicros, targetBalanceMicros, monthlyCapMicros,
                offlinePayment);
    }
}
