package io.rebill.billing.stripe;

/**
 * A webhook request that must be rejected (HTTP 400): no or a wrong signature, a signature older
 * than the tolerance (a possible replay), or a body that is not a Stripe event. Checked so that every
 * webhook endpoint decides what to answer.
 */
public class InvalidWebhookException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidWebhookException(String message) {
        super(message);
    }

    public InvalidWebhookException(String message, Throwable cause) {
        super(message, cause);
    }
}
