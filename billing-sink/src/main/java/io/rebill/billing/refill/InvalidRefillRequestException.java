package io.rebill.billing.refill;

/** A refill request that names no wallet billing-sink could answer; it goes to the dead-letter topic. */
public final class InvalidRefillRequestException extends RuntimeException {

    public InvalidRefillRequestException(String message) {
        super(message);
    }
}
