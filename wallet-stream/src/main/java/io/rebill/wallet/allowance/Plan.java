package io.rebill.wallet.allowance;

import java.util.regex.Pattern;

/**
 * One version of a subscription plan. A plan in use is never edited: changed terms are a new
 * version, so a sub-account's allowance can keep the plan it was given as a value.
 *
 * @param version 1 for the first version of {@code planId}
 * @param includedMinutes voice minutes included in each cycle
 * @param priceMicros the price of one cycle, in micro-units of {@code currency}
 */
public record Plan(String planId, int version, String name, long includedMinutes, long priceMicros,
                   String currency) {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public Plan {
        if (planId == null || planId.isBlank()) {
            throw new IllegalArgumentException("Plan id must not be blank");
        }
        if (version < 1) {
            throw new IllegalArgumentException("Plan " + planId + " version must be at least 1, got " + version);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Plan " + planId + " v" + version + " must have a name");
        }
        AllowanceBook.requireMinutes(includedMinutes, "Plan " + planId + " v" + version + " included minutes");
        if (priceMicros < 0) {
            throw new IllegalArgumentException(
                    "Plan " + planId + " v" + version + " price must not be negative, got " + priceMicros);
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException(
                    "Plan " + planId + " v" + version + " currency must be an ISO 4217 code, got " + currency);
        }
    }

    /** The included minutes as the seconds a cycle's plan bucket starts with. */
    public long includedSeconds() {
        return AllowanceBook.toSeconds(includedMinutes);
    }

    /** True when {@code other} names the same plan version, whatever its terms say. */
    public boolean isSameVersionAs(Plan other) {
        return other != null && planId.equals(other.planId) && version == other.version;
    }

    /** "pro v2", for messages. */
    String label() {
        return planId + " v" + version;
    }
}
