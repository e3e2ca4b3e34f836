package io.rebill.wallet.allowance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Monthly cycles from an anchor: cycle k starts at anchor + k calendar months in UTC. Each start is
 * computed from the anchor, not from the previous start, so a 31st anchor falls on the last day of
 * shorter months and comes back to the 31st after them ({@code ZonedDateTime.plusMonths}).
 */
final class BillingCycles {

    private BillingCycles() {
    }

    /** The start of cycle {@code index}; negative indexes are the cycles before the anchor. */
    static Instant start(Instant anchor, long index) {
        return anchor.atZone(ZoneOffset.UTC).plusMonths(index).toInstant();
    }

    /** The index of the cycle that contains {@code at}: its start is at or before {@code at}, the next one after. */
    static long indexContaining(Instant anchor, Instant at) {
        long index = ChronoUnit.MONTHS.between(anchor.atZone(ZoneOffset.UTC), at.atZone(ZoneOffset.UTC));
        // The month count is an estimate around month ends; starts are strictly increasing, so step to the exact one.
        while (start(anchor, index).isAfter(at)) {
            index--;
        }
        while (!start(anchor, index + 1).isAfter(at)) {
            index++;
        }
        return index;
    }
}
