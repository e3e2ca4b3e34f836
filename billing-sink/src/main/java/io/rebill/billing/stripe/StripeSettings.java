package io.rebill.billing.stripe;

import io.rebill.billing.retry.Backoff;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How billing-sink talks to Stripe. Without an API key there is no Stripe at all (a deployment that
 * does not bill by card), which is why {@link #from(Map)} answers {@link Optional#empty()} then.
 *
 * @param apiKey        the platform's secret key; never logged
 * @param apiBase       {@code https://api.stripe.com}, or a test double's address
 * @param connectTimeout to open a connection to Stripe
 * @param readTimeout   to wait for Stripe's answer; a timed-out charge is retried with the same
 *                      idempotency key
 * @param retries       our own retries of transient failures (stripe-java's own are off)
 * @param webhookSecret the endpoint's signing secret ({@code whsec_...}); null when webhooks are not
 *                      received by this deployment; never logged
 */
public record StripeSettings(
        String apiKey,
        String apiBase,
        Duration connectTimeout,
        Duration readTimeout,
        Backoff retries,
        String webhookSecret) {

    public static final String API_KEY = "rebill.billing.stripe.api-key";
    public static final String API_BASE = "rebill.billing.stripe.api-base";
    public static final String CONNECT_TIMEOUT_MS = "rebill.billing.stripe.connect-timeout.ms";
    public static final String READ_TIMEOUT_MS = "rebill.billing.stripe.read-timeout.ms";
    public static final String MAX_ATTEMPTS = "rebill.billing.stripe.max-attempts";
    public static final String RETRY_INITIAL_MS = "rebill.billing.stripe.retry-initial.ms";
    public static final String RETRY_MAX_MS = "rebill.billing.stripe.retry-max.ms";
    public static final String WEBHOOK_SECRET = "rebill.billing.stripe.webhook-secret";

    public static final String DEFAULT_API_BASE = "https://api.stripe.com";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Backoff DEFAULT_RETRIES =
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 5);

    public StripeSettings {
        if (isBlank(apiKey)) {
            throw new IllegalArgumentException("Stripe API key must not be blank");
        }
        if (isBlank(apiBase)) {
            throw new IllegalArgumentException("Stripe API base URL must not be blank");
        }
        // stripe-java appends "/v1/..." to the base.
        apiBase = apiBase.strip().replaceAll("/+$", "");
        requireTimeout(connectTimeout, "connectTimeout");
        requireTimeout(readTimeout, "readTimeout");
        Objects.requireNonNull(retries, "retries");
        webhookSecret = isBlank(webhookSecret) ? null : webhookSecret.strip();
    }

    /** Stripe's own address and the default timeouts and retries. */
    public static StripeSettings withDefaults(String apiKey) {
        return new StripeSettings(apiKey, DEFAULT_API_BASE, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT, DEFAULT_RETRIES, null);
    }

    /**
     * Reads the {@code rebill.billing.stripe.*} keys; values may be strings or numbers. Absent keys
     * take the defaults.
     *
     * @return empty when no API key is configured (a blank one counts as none)
     * @throws IllegalArgumentException naming the key when a value is not a valid number
     */
    public static Optional<StripeSettings> from(Map<String, ?> config) {
        Objects.requireNonNull(config, "config");
        String apiKey = string(config, API_KEY);
        if (apiKey == null) {
            return Optional.empty();
        }
        String apiBase = Optional.ofNullable(string(config, API_BASE)).orElse(DEFAULT_API_BASE);
        Duration connectTimeout = millis(config, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT);
        Duration readTimeout = millis(config, READ_TIMEOUT_MS, DEFAULT_READ_TIMEOUT);
        Backoff retries = new Backoff(
                millis(config, RETRY_INITIAL_MS, DEFAULT_RETRIES.initial()),
                millis(config, RETRY_MAX_MS, DEFAULT_RETRIES.max()),
                maxAttempts(config));
        return Optional.of(new StripeSettings(apiKey.strip(), apiBase, connectTimeout, readTimeout,
                retries, string(config, WEBHOOK_SECRET)));
    }

    public StripeSettings withApiBase(String newApiBase) {
        return new StripeSettings(apiKey, newApiBase, connectTimeout, readTimeout, retries, webhookSecret);
    }

    public StripeSettings withTimeouts(Duration newConnectTimeout, Duration newReadTimeout) {
        return new StripeSettings(apiKey, apiBase, newConnectTimeout, newReadTimeout, retries, webhookSecret);
    }

    public StripeSettings withRetries(Backoff newRetries) {
        return new StripeSettings(apiKey, apiBase, connectTimeout, readTimeout, newRetries, webhookSecret);
    }

    public StripeSettings withWebhookSecret(String newWebhookSecret) {
        return new StripeSettings(apiKey, apiBase, connectTimeout, readTimeout, retries, newWebhookSecret);
    }

    /** Shows whether secrets are set, never the secrets themselves. */
    @Override
    public String toString() {
        return "StripeSettings[apiKey=" + maskedKey(apiKey)
                + ", apiBase=" + apiBase
                + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout
                + ", retries=" + retries
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***")
                + "]";
    }

    /** {@code sk_live_***}: tells live from test mode without revealing the key. */
    private static String maskedKey(String key) {
        if (key.startsWith("sk_live_") || key.startsWith("rk_live_")
                || key.startsWith("sk_test_") || key.startsWith("rk_test_")) {
            return key.substring(0, 8) + "***";
        }
        return "***";
    }

    private static void requireTimeout(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            // stripe-java takes int milliseconds, and 0 would mean "wait forever".
            throw new IllegalArgumentException(name + " must be between 1 ms and "
                    + Integer.MAX_VALUE + " ms, was " + timeout);
        }
    }

    private static String string(Map<String, ?> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : text;
    }

    private static long number(Map<String, ?> config, String key, long defaultValue) {
        Object value = config.get(key);
        if (value instanceof Number number) {
            return number.longValue();
        }
        String text = string(config, key);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was \"" + text + "\"", e);
        }
    }

    private static int maxAttempts(Map<String, ?> config) {
        long attempts = number(config, MAX_ATTEMPTS, DEFAULT_RETRIES.maxAttempts());
        if (attempts < 1 || attempts > 100) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " must be between 1 and 100, was " + attempts);
        }
        return (int) attempts;
    }

    private static Duration millis(Map<String, ?> config, String key, Duration defaultValue) {
        long ms = number(config, key, defaultValue.toMillis());
        if (ms < 0) {
            throw new IllegalArgumentException(key + " must not be negative, was " + ms);
        }
        return Duration.ofMillis(ms);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
