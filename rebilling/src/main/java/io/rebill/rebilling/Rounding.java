package io.rebill.rebilling;

/** Integer division rounding half up, the only rounding mode money uses in rating. */
public final class Rounding {

    private Rounding() {
    }

    /**
     * {@code dividend / divisor} rounded half up (a remainder of exactly half the divisor rounds
     * up). Both operands are non-negative, so half up and half away from zero agree.
     */
    public static long divideHalfUp(long dividend, long divisor) {
        if (dividend < 0 || divisor <= 0) {
            throw new IllegalArgumentException("Expected dividend >= 0 and divisor > 0, got "
                    + dividend + " / " + divisor);
        }
        long quotient = dividend / divisor;
        long remainder = dividend % divisor;
        // remainder >= divisor / 2, written so it cannot overflow.
        return remainder >= divisor - remainder ? quotient + 1 : quotient;
    }
}
