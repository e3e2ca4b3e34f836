package io.rebill.wallet.http;

/**
 * A request wallet-stream's HTTP API answers with an error status and a JSON
 * {@code {"error": message}}. The message is written for the caller, so it never carries internals.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final boolean retryable;

    private ApiException(int status, String message, boolean retryable) {
        // No stack trace: these are answers, not failures, and they are never logged as errors.
        super(message, null, false, false);
        this.status = status;
        this.retryable = retryable;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message, false);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message, false);
    }

    static ApiException methodNotAllowed() {
        return new ApiException(405, "only GET is supported", false);
    }

    /** 503 with {@code Retry-After}: the answer exists, just not here or not yet. */
    static ApiException retryLater(String message) {
        return new ApiException(503, message, true);
    }

    static ApiException badGateway(String message) {
        return new ApiException(502, message, false);
    }

    /** 500 that tells the caller nothing about the cause; the cause goes to the log. */
    static ApiException internal() {
        return new ApiException(500, "internal error", false);
    }

    int status() {
        return status;
    }

    boolean retryable() {
        return retryable;
    }
}
