package io.rebill.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Money inside Rebill is a {@code long} of micro-units (1/1,000,000 of the currency unit) beside an
 * ISO 4217 code. This is the one place amounts cross to and from decimal text at the edges
 * (CSV files, the CLI, reports).
 */
public final class Micros {

    public static final int SCALE = 6;
    public static final long PER_UNIT = 1_000_000L;

    private Micros() {
    }

    /** Exact conversion of a decimal amount; more than six decimals is an error, never rounded away. */
    public static long fromDecimal(BigDecimal amount) {
        try {
            return amount.setScale(SCALE, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Amount " + amount.toPlainString()
                    + " has more than " + SCALE + " decimals or does not fit in micro-units", e);
        }
    }

    /** Parses decimal text such as {@code 12.50}. */
    public static long parse(String amount) {
        try {
            return fromDecimal(new BigDecimal(amount.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + amount + "' is not a decimal amount", e);
        }
    }

    public static BigDecimal toDecimal(long micros) {
        return BigDecimal.valueOf(micros, SCALE);
    }

    /** Plain text with all six decimals, e.g. {@code -0.013000}: exact, for reports that must add up. */
    public static String format(long micros) {
        return toDecimal(micros).toPlainString();
    }

    /** Checks an ISO 4217 code and returns it. */
    public static String currency(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency code", e);
        }
    }
}
