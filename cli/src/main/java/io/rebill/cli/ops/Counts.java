package io.rebill.cli.ops;

import java.util.Map;
import java.util.stream.Collectors;

/** Counts in the operator commands' one-line summaries. */
final class Counts {

    private Counts() {
    }

    /** {@code "1 CDR"}, {@code "3 CDRs"}. */
    static String of(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** {@code "NO_RATE 3, INVALID_NUMBER 1"}, in the map's order. */
    static String byKey(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
