package io.rebill.rebilling;

/**
 * Why a re-billed price cannot be worked out. The services that price usage turn it into a
 * rejection with the problem's name as the reason code, so it travels as data.
 */
public final class RebillingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Stable names: they become reason codes on the rejected topics. */
    public enum Problem {
        /** The workspace has no re-billing settings (its defaults), so it is not known to billing. */
        UNKNOWN_WORKSPACE,
        /** The settings in force cannot be applied (a multiplier outside 1x..10x, a negative resale price). */
        INVALID_SETTINGS,
        /** An amount does not fit a long of micro-units. */
        AMOUNT_OVERFLOW
    }

    private final Problem problem;

    public RebillingException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public RebillingException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
