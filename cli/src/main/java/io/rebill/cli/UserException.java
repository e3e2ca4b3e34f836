package io.rebill.cli;

/** A mistake or a condition the user can fix: reported as one clear line, never a stack trace. */
public class UserException extends RuntimeException {

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
