package io.rebill.billing.payment;

import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where wallet amounts (micro-units: 1 unit = 1,000,000 micros) become the amounts a
 * card is charged in (the currency's minor units as Stripe counts them), and back.
 *
 * <p>Stripe's minor units are not always ISO 4217's: Stripe treats the currencies in
 * {@link #exponent(String)}'s zero-decimal list as having no minor unit, the five three-decimal
 * currencies as having 1/1000 but only accepts amounts whose last digit is 0, and every other
 * currency as having two decimals.
 *
 * <p>Rounding rule: a charge is rounded <b>up</b> ({@link #chargeableMinor}) to the smallest amount
 * Stripe accepts that is not less than the wallet amount, so a refill never credits the wallet more
 * than was paid for. Converting back ({@link #toMicros}) is exact.
 */
public final class MinorUnits {

    /** Micros in one currency unit (one dollar, one yen). */
    public static final long MICROS_PER_UNIT = 1_000_000L;

    /** Stripe's zero-decimal currencies: an amount of 1000 JPY is sent as {@code 1000}. */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
            "XAF", "XOF", "XPF");

    /** Stripe's three-decimal currencies; Stripe requires the last digit of the amount to be 0. */
    private static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

    /**
     * Two-decimal for Stripe, but charged in whole units only (amounts divisible by 100): Icelandic
     * krona, whose ISO minor unit is none.
     */
    private static final Set<String> WHOLE_UNITS_ONLY = Set.of("ISK");

    private static final Pattern THREE_LETTERS = Pattern.compile("[A-Za-z]{3}");

    private MinorUnits() {
    }

    /**
     * The ISO 4217 code in upper case ({@code "usd"} becomes {@code "USD"}; Stripe sends lower case).
     *
     * @throws IllegalArgumentException if it is not three letters, not a currency Java knows, or not
     *                                  a money currency (such as {@code XAU} gold or {@code XXX})
     */
    public static String currencyCode(String currency) {
        if (currency == null || !THREE_LETTERS.matcher(currency).matches()) {
            throw new IllegalArgumentException(
                    "currency must be a three-letter ISO 4217 code such as USD, was " + quoted(currency));
        }
        String code = currency.toUpperCase(Locale.ROOT);
        Currency known;
        try {
            known = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown ISO 4217 currency code " + quoted(currency), e);
        }
        if (known.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("currency " + code
                    + " is not a money currency (no minor unit) and cannot be charged");
        }
        return code;
    }

    /** Digits after the decimal point as Stripe counts them: 0, 2 or 3. */
    public static int exponent(String currency) {
        String code = currencyCode(currency);
        if (ZERO_DECIMAL.contains(code)) {
            return 0;
        }
        if (THREE_DECIMAL.contains(code)) {
            return 3;
        }
        return 2;
    }

    /**
     * The amount to charge for a wallet amount, rounded up (ceiling) to the smallest amount Stripe
     * accepts that is not less than it: a whole minor unit, and for three-decimal currencies a
     * multiple of 10 minor units, for ISK a multiple of 100. Examples: 12.345678 USD is 1235 cents;
     * 1000.4 JPY is 1001 yen; 1.2345 KWD is 1240 fils; 500.5 ISK is 50100.
     *
     * @param micros the wallet amount; must be &gt; 0
     * @throws IllegalArgumentException if {@code micros <= 0} or the currency is invalid
     */
    public static long chargeableMinor(long micros, String currency) {
        if (micros <= 0) {
            throw new IllegalArgumentException("amount to charge must be > 0 micros, was " + micros);
        }
        int exponent = exponent(currency);
        long minorPerStep = exponent == 3 ? 10 : WHOLE_UNITS_ONLY.contains(currencyCode(currency)) ? 100 : 1;
        long microsPerStep = microsPerMinor(exponent) * minorPerStep;
        long steps = micros / microsPerStep + (micros % microsPerStep == 0 ? 0 : 1);
        return steps * minorPerStep; // cannot overflow: steps * minorPerStep <= micros / 1000 + 100
    }

    /**
     * A charged amount in wallet micros, exactly.
     *
     * @throws ArithmeticException if the result does not fit in a long
     */
    public static long toMicros(long minor, String currency) {
        return Math.multiplyExact(minor, microsPerMinor(exponent(currency)));
    }

    private static long microsPerMinor(int exponent) {
        long perMinor = MICROS_PER_UNIT;
        for (int i = 0; i < exponent; i++) {
            perMinor /= 10;
        }
        return perMinor;
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
