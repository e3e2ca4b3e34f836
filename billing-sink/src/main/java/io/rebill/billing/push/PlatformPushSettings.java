package io.rebill.billing.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how billing-sink pushes access and number changes to the platform.
 *
 * @param url            the platform's webhook endpoint, http or https; null disables pushing
 * @param secret         the signing secret shared with the receiver, required when {@code url} is
 *                       set (see {@link PlatformWebhookSignature})
 * @param initialBackoff the wait before the first retry of a failed push; doubles per retry
 * @param maxBackoff     the longest wait between retries; a push is retried until acknowledged
 * @param requestTimeout how long one request (connect and response) may take
 */
public record PlatformPushSettings(URI url, String secret, Duration initialBackoff, Duration maxBackoff,
                                   Duration requestTimeout) {

    public static final String URL = "rebill.billing.push.url";
    public static final String SECRET = "rebill.billing.push.secret";
    public static final String RETRY_INITIAL_MS = "rebill.billing.push.retry-initial.ms";
    public static final String RETRY_MAX_MS = "rebill.billing.push.retry-max.ms";
    public static final String TIMEOUT_MS = "rebill.billing.push.timeout.ms";

    /** Every key starts with this, so clients built from the same config can leave them out. */
    public static final String PREFIX = "rebill.billing.push.";

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Null durations take their defaults. */
    public PlatformPushSettings {
        initialBackoff = positive(initialBackoff, DEFAULT_INITIAL_BACKOFF, RETRY_INITIAL_MS);
        maxBackoff = positive(maxBackoff, DEFAULT_MAX_BACKOFF, RETRY_MAX_MS);
        requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, TIMEOUT_MS);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(RETRY_MAX_MS + " (" + maxBackoff.toMillis() + ") must not be less than "
                    + RETRY_INITIAL_MS + " (" + initialBackoff.toMillis() + ")");
        }
        if (url != null) {
            String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException(URL + " must be an absolute http or https URL, was '" + url + "'");
            }
            if (url.getHost() == null) {
                throw new IllegalArgumentException(URL + " must name a host, was '" + url + "'");
            }
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException(SECRET + " is required when " + URL
                        + " is set: the platform verifies every request's signature with it");
            }
        }
    }

    /** Pushing to {@code url} signed with {@code secret}, with the default retry and timeout. */
    public static PlatformPushSettings of(URI url, String secret) {
        return new PlatformPushSettings(Objects.requireNonNull(url, "url"), secret, null, null, null);
    }

    /**
     * The settings in a service config, or empty when {@value #URL} is unset or blank (pushing
     * disabled). Values may be strings, as in a properties file, or numbers.
     *
     * @throws IllegalArgumentException naming the key, for a URL without a secret, a URL that is
     *                                  not http(s), or a duration that is not a positive number of ms
     */
    public static Optional<PlatformPushSettings> from(Map<String, ?> config) {
        String url = text(config, URL);
        if (url == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(URL + " is not a valid URL: " + e.getMessage(), e);
        }
        return Optional.of(new PlatformPushSettings(uri, text(config, SECRET), millis(config, RETRY_INITIAL_MS),
                millis(config, RETRY_MAX_MS), millis(config, TIMEOUT_MS)));
    }

    /** Whether changes are pushed at all. */
    public boolean enabled() {
        return url != null;
    }

    /** Never shows the secret: settings end up in logs. */
    @Override
    public String toString() {
        return "PlatformPushSettings[url=" + url + ", secret=" + (secret == null ? "(none)" : "(hidden)")
                + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", requestTimeout=" + requestTimeout + "]";
    }

    private static String text(Map<String, ?> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }

    private static Duration millis(Map<String, ?> config, String key) {
        String text = text(config, key);
        if (text == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of milliseconds, was '" + text + "'", e);
        }
    }

    private static Duration positive(Duration value, Duration fallback, String key) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value.toMillis() + " ms");
        }
        return value;
    }
}
