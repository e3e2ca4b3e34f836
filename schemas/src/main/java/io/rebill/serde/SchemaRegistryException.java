package io.rebill.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry refused or failed a request. {@link #errorCode()} is the registry's own
 * code (40401 subject not found, 40403 schema not found, 409 incompatible, 42201 invalid
 * schema) or the HTTP status when the body had none, or -1 when the registry was unreachable.
 */
public class SchemaRegistryException extends SerializationException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int UNREACHABLE = -1;

    private final int errorCode;

    public SchemaRegistryException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /**
     * Whether {@code exception} (or a cause) says the registry is down or failing: retrying later will
     * read the record, so a reader must not dead-letter it.
     */
    public static boolean isOutage(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                int code = registry.errorCode();
                return code == UNREACHABLE || (code >= 500 && code < 600) || (code >= 50000 && code < 60000);
            }
        }
        return false;
    }

    public int errorCode() {
        return errorCode;
    }

    /** The sentence a person reads for a registry error code; the registry's own message follows it. */
    static String explain(int errorCode, String subject, Integer schemaId) {
        return switch (errorCode) {
            case SUBJECT_NOT_FOUND -> "subject '" + subject + "' is not registered";
            case VERSION_NOT_FOUND -> "subject '" + subject + "' has no such version";
            case SCHEMA_NOT_FOUND -> schemaId != null
                    ? "no schema with id " + schemaId + " is registered"
                    : "this schema is not registered under subject '" + subject + "'";
            case INCOMPATIBLE_SCHEMA -> "the schema for subject '" + subject
                    + "' is incompatible with an earlier version under the registry's compatibility rule";
            case INVALID_SCHEMA -> "the registry rejected the schema for subject '" + subject + "' as invalid";
            default -> "the schema registry answered with error " + errorCode;
        };
    }
}
