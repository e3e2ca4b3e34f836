package io.rebill.billing.push;

/**
 * A push the platform did not acknowledge: no connection, a timeout, or an answer other than 2xx.
 * The event may or may not have been processed, so it is sent again with the same id.
 */
public final class PlatformPushException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Status of an attempt that got no HTTP answer at all. */
    public static final int NO_RESPONSE = -1;

    private final int statusCode;

    public PlatformPushException(String message, int statusCode, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /** The HTTP status the platform answered, or {@link #NO_RESPONSE}. */
    public int statusCode() {
        return statusCode;
    }
}
