package io.rebill.metering.rating;

/**
 * Why a usage record could not be rated. The names are written to {@code DeadLetter.reasonCode}
 * on {@code metering.charges.rejected}, where dashboards and replay tools match on them: add new
 * codes, never rename one.
 */
public enum ReasonCode {
    /** The record contradicts itself or lacks what every record must have (negative duration, end before start, no workspace). */
    INVALID_CDR,
    /** The destination is not an E.164 number libphonenumber accepts as possible. */
    INVALID_NUMBER,
    /** No rate-card entry matches the usage type, direction and destination at the time of use. */
    NO_RATE,
    /** The matching rate-card entry cannot be applied (zero increments, negative price, no currency). */
    INVALID_RATE,
    /** The effective re-billing settings cannot be applied (multiplier outside 1x..10x). */
    INVALID_SETTINGS,
    /** An amount does not fit a long of micro-units. */
    AMOUNT_OVERFLOW,
    /** The workspace has no re-billing settings (its defaults), so it is not known to billing. */
    UNKNOWN_WORKSPACE,
    /** The message event contradicts itself or lacks what it must have (no body and no length, no channel). */
    INVALID_MESSAGE
}
