package io.rebill.billing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * billing-sink's own settings ({@code rebill.billing.*}); Stripe's are read by
 * {@code StripeSettings}, the platform push's by {@code PlatformPushSettings}.
 */
public record BillingConfig(String instanceId, String httpHost, int httpPort, Duration undeterminedRetry,
                            Duration undeterminedGiveUp) {

    /** Names this instance's transactional ids; unique per running instance, the same across its restarts. */
    public static final String INSTANCE_ID = "rebill.billing.instance.id";
    public static final String HTTP_HOST = "rebill.billing.http.host";
    /** Port of the Stripe webhook and health endpoint; -1 turns the HTTP server off. */
    public static final String HTTP_PORT = "rebill.billing.http.port";
    /** How long a request whose payment outcome is unknown waits before it is tried again. */
    public static final String UNDETERMINED_RETRY_MS = "rebill.billing.undetermined-retry.ms";
    /**
     * How long a request may stay undetermined before it is recorded as UNKNOWN for ops; well under
     * Stripe's 24-hour idempotency-key retention, after which a retry would be a new charge.
     */
    public static final String UNDETERMINED_GIVE_UP_MS = "rebill.billing.undetermined-give-up.ms";

    public static final int DEFAULT_HTTP_PORT = 8091;
    public static final Duration DEFAULT_UNDETERMINED_RETRY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_UNDETERMINED_GIVE_UP = Duration.ofHours(6);
    private static final Duration STRIPE_KEY_RETENTION = Duration.ofHours(24);

    public BillingConfig {
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException(INSTANCE_ID + " must be 1-100 letters, digits, '.', '_' or '-', was '"
                    + instanceId + "'");
        }
        if (httpPort < -1 || httpPort > 65_535) {
            throw new IllegalArgumentException(HTTP_PORT + " must be a port, 0 for any, or -1 for none, was " + httpPort);
        }
        if (undeterminedRetry.isNegative() || undeterminedRetry.isZero()) {
            throw new IllegalArgumentException(UNDETERMINED_RETRY_MS + " must be > 0");
        }
        if (undeterminedGiveUp.isNegative() || undeterminedGiveUp.compareTo(STRIPE_KEY_RETENTION) >= 0) {
            throw new IllegalArgumentException(UNDETERMINED_GIVE_UP_MS + " must be >= 0 and under Stripe's 24-hour "
                    + "idempotency-key retention, was " + undeterminedGiveUp);
        }
    }

    public static BillingConfig from(Map<String, ?> config) {
        return new BillingConfig(
                string(config, INSTANCE_ID, defaultInstanceId()),
                string(config, HTTP_HOST, "0.0.0.0"),
                Integer.parseInt(string(config, HTTP_PORT, Integer.toString(DEFAULT_HTTP_PORT))),
                Duration.ofMillis(Long.parseLong(string(config, UNDETERMINED_RETRY_MS,
                        Long.toString(DEFAULT_UNDETERMINED_RETRY.toMillis())))),
                Duration.ofMillis(Long.parseLong(string(config, UNDETERMINED_GIVE_UP_MS,
                        Long.toString(DEFAULT_UNDETERMINED_GIVE_UP.toMillis())))));
    }

    public boolean httpEnabled() {
        return httpPort >= 0;
    }

    /** The host name: stable across restarts of one machine or container, different between them. */
    private static String defaultInstanceId() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (UnknownHostException e) {
            return "local";
        }
    }

    private static String string(Map<String, ?> config, String key, String fallback) {
        Object value = config.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }
}
