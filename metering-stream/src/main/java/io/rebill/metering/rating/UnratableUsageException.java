package io.rebill.metering.rating;

/**
 * A business reason why one usage record cannot be rated. {@link CdrRating} turns it into a
 * {@link RatingOutcome.Rejected} so it travels as data to the rejected topic; it never escapes
 * into the topology.
 */
public final class UnratableUsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ReasonCode reasonCode;

    public UnratableUsageException(ReasonCode reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public UnratableUsageException(ReasonCode reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    public ReasonCode reasonCode() {
        return reasonCode;
    }
}
