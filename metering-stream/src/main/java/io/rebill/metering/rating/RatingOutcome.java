package io.rebill.metering.rating;

/**
 * What rating decided about one usage record. Every record gets exactly one outcome, so nothing is
 * lost silently: a charge, a deliberate "nothing to bill", or a rejection with a reason.
 */
public sealed interface RatingOutcome {

    /** The record is priced; usually billable, but usage recorded without charge (inbound email) is rated with {@code billable=false}. */
    record Rated(RatedUsage charge) implements RatingOutcome {
    }

    /** The record is valid but costs nothing (an unanswered call, a 0-second call). */
    record NotBillable(String reason) implements RatingOutcome {
    }

    /** The record cannot be rated; it goes to the rejected topic with this reason to be fixed and replayed. */
    record Rejected(ReasonCode reasonCode, String reason) implements RatingOutcome {
    }
}
