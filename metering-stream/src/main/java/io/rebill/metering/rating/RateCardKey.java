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
    /** Long.MAX_VALUE has 19 digits: padded to 19, lexicographic order is numeric order. */
    private static final int VALID_FROM_DIGITS = 19;

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
        return prefixPart(usageType, direction, prefix) + paddedMillis(millis);
    }

    /** Rating looks up one key pair per candidate prefix of every call, so this avoids String.format. */
    static String paddedMillis(long millis) {
        char[] digits = new char[VALID_FROM_DIGITS];
        long rest = millis;
        for (int i = VALID_FROM_DIGITS - 1; i >= 0; i--) {
            digits[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        return new String(digits);
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

    /** A closed key range of one prefix: the entry under its greatest key is the one in force. */
    public record Range(String fromKey, String toKey) {
    }

    /**
     * The ranges to search for a destination at a time, longest prefix first and ending with the
     * empty prefix: equal to {@link #lowerBound}/{@link #upperBound} of each prefix of {@code digits},
     * with the shared parts of the keys built once.
     */
    public static List<Range> searchRanges(UsageType usageType, Direction direction, String digits, Instant at) {
        requireDigits(digits);
        String head = usageType.name() + SEPARATOR + direction.name() + SEPARATOR;
        String from = SEPARATOR + paddedMillis(0);
        String to = SEPARATOR + paddedMillis(at.toEpochMilli());
        List<Range> ranges = new ArrayList<>(digits.length() + 1);
        for (int length = digits.length(); length >= 0; length--) {
            String prefix = head + digits.substring(0, length);
            ranges.add(new Range(prefix + from, prefix + to));
        }
        return ranges;
    }

    private static String prefixPart(UsageType usageType, Direction direction, String prefix) {
        requireDigits(prefix);
        return usageType.name() + SEPARATOR + direction.name() + SEPARATOR + prefix + SEPARATOR;
    }

    private static void requireDigits(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("A destination prefix is E.164 digits without '+', got null");
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("A destination prefix is E.164 digits without '+', got '"
                        + prefix + "'");
            }
        }
    }
}
