package io.rebill.metering.rating;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RateCardEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The key of {@code metering.rate-card}: {@code usageType:direction:prefix:validFrom}, validFrom in
 * epoch milliseconds zero-padded to 19 digits. Whoever publishes rate cards (the CLI) keys them
 * with {@link #of(RateCardEntry)}; the rating processor finds them by key range, so the format is
 * a contract: lexicographic key order is time order within one usage type, direction and prefix.
 *
 * <p>Example: {@code VOICE:OUTBOUND:1876:0001767225600000}. Ranges of different prefixes never
 * interleave, because ':' sorts after every digit.
 */
public final class RateCardKey {

    private static final char SEPARATOR = ':';
    private static final String VALID_FROM_FORMAT = "%019d";

    private RateCardKey() {
    }

    /** The key a rate-card entry is published under. */
    public static String of(RateCardEntry entry) {
        return of(entry.getUsageType(), entry.getDirection(), entry.getDestinationPrefix(), entry.getValidFrom());
    }

    /**
     * The key of the entry for one usage type, direction and destination prefix (E.164 digits without
     * '+', empty for "every destination"), effective from {@code validFrom} (not before 1970).
     */
    public static String of(UsageType usageType, Direction direction, String prefix, Instant validFrom) {
        long millis = validFrom.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("validFrom must not be before 1970-01-01, got " + validFrom);
        }
        return prefixPart(usageType, direction, prefix) + String.format(VALID_FROM_FORMAT, millis);
    }

    /** The smallest key of a prefix: its entry valid from the epoch. */
    public static String lowerBound(UsageType usageType, Direction direction, String prefix) {
        return of(usageType, direction, prefix, Instant.EPOCH);
    }

    /**
     * The greatest key of a prefix whose entry is in force at {@code at}: the last key in
     * [{@link #lowerBound}, upperBound] is the entry to use.
     */
    public static String upperBound(UsageType usageType, Direction direction, String prefix, Instant at) {
        return of(usageType, direction, prefix, at);
    }

    /** Every prefix of {@code digits}, longest first and ending with the empty prefix: the order to look rates up in. */
    public static List<String> prefixesLongestFirst(String digits) {
        requireDigits(digits);
        List<String> prefixes = new ArrayList<>(digits.length() + 1);
        for (int length = digits.length(); length >= 0; length--) {
            prefixes.add(digits.substring(0, length));
        }
        return prefixes;
    }

    private static String prefixPart(UsageType usageType, Direction direction, String prefix) {
        requireDigits(prefix);
        return usageType.name() + SEPARATOR + direction.name() + SEPARATOR + prefix + SEPARATOR;
    }

    private static void requireDigits(String prefix) {
        if (prefix == null || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("A destination prefix is E.164 digits without '+', got '" + prefix + "'");
        }
    }
}
