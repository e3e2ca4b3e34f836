package io.rebill.rebilling;

/**
 * Turns the platform cost of one charge into what the sub-account pays: the last step of rating,
 * after {@link VoiceRater}, and the one place the re-billed price is rounded.
 *
 * <p>Rule: {@code priceMicros = ROUND_HALF_UP(costMicros * multiplierBasisPoints / 10000)}, computed
 * exactly on longs; a remainder of exactly half a micro rounds up. Multipliers are basis points,
 * 10000 = 1.00x, and must lie within 1x..10x, the range an agency can set.
 */
public final class Markup {

    /** 1.00x: the multiplier recorded on a charge that is not re-billed. */
    public static final int ONE_X_BASIS_POINTS = 10_000;
    /** 1.05x: the default, and the fixed multiplier of workspace tiers that may not mark up (it covers card fees). */
    public static final int FIXED_TIER_BASIS_POINTS = 10_500;
    /** 10.00x: the highest multiplier an agency can set. */
    public static final int MAX_BASIS_POINTS = 100_000;

    private Markup() {
    }

    /** The re-billed price of a charge costing {@code costMicros}. */
    public static long priceMicros(long costMicros, int multiplierBasisPoints) {
        if (costMicros < 0) {
            throw new IllegalArgumentException("Cost must not be negative, got " + costMicros);
        }
        if (multiplierBasisPoints < ONE_X_BASIS_POINTS || multiplierBasisPoints > MAX_BASIS_POINTS) {
            throw new RebillingException(RebillingException.Problem.INVALID_SETTINGS, "Multiplier " + multiplierBasisPoints
                    + " basis points is outside 1x..10x (" + ONE_X_BASIS_POINTS + ".." + MAX_BASIS_POINTS + ")");
        }
        try {
            return Rounding.divideHalfUp(Math.multiplyExact(costMicros, (long) multiplierBasisPoints),
                    ONE_X_BASIS_POINTS);
        } catch (ArithmeticException e) {
            throw new RebillingException(RebillingException.Problem.AMOUNT_OVERFLOW, "Price of " + costMicros + " micros at "
                    + multiplierBasisPoints + " basis points overflows a long of micro-units", e);
        }
    }
}
