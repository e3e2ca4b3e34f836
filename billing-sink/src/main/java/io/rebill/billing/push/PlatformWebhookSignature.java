package io.rebill.billing.push;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies platform webhook bodies, in the scheme Stripe uses for its webhooks.
 *
 * <p>Every request carries the header
 * <pre>Rebill-Signature: t=1714557600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd</pre>
 * where {@code t} is the time of signing in Unix seconds and {@code v1} is the lowercase hex
 * HMAC-SHA256, keyed with the shared secret's UTF-8 bytes, of {@code "<t>.<raw body>"}.
 *
 * <p>A receiver verifies with the same secret, on the body bytes exactly as received (before any
 * JSON parsing or re-encoding):
 * <pre>{@code
 * PlatformWebhookSignature signature = new PlatformWebhookSignature(secret);
 * if (!signature.verify(rawBody, request.header("Rebill-Signature"), Instant.now(),
 *         PlatformWebhookSignature.DEFAULT_TOLERANCE)) {
 *     respond(400);
 * }
 * }</pre>
 * The timestamp bounds replays: a request older (or further in the future) than the tolerance is
 * rejected. Retries are signed again when sent, so a retried event is never stale on arrival; it
 * carries the same {@code Rebill-Event-Id}, which is what a receiver de-duplicates on.
 * Several {@code v1} entries may appear (e.g. while a secret is rotated); one match suffices.
 * Other schemes (such as Stripe's {@code v0}) are ignored.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PlatformWebhookSignature {

    /** The HTTP header that carries the signature. */
    public static final String HEADER = "Rebill-Signature";

    /** How far a signature's timestamp may be from the receiver's clock; Stripe's default. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";
    private static final String TIMESTAMP = "t";
    private static final String SCHEME_V1 = "v1";
    private static final int HMAC_SHA256_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;

    /** @param secret the secret shared with the receiver; not blank */
    public PlatformWebhookSignature(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("webhook signing secret must not be blank");
        }
        this.key = new SecretKeySpec(secret.getBytes(UTF_8), ALGORITHM);
    }

    /** The {@value #HEADER} header value for a body signed at {@code at}. */
    public String sign(byte[] body, Instant at) {
        Objects.requireNonNull(body, "body");
        long timestamp = at.getEpochSecond();
        return TIMESTAMP + "=" + timestamp + "," + SCHEME_V1 + "=" + HEX.formatHex(hmac(timestamp, body));
    }

    /**
     * Whether {@code header} is a valid signature of {@code body} made within {@code tolerance}
     * of {@code now}. False, never an exception, for a missing or malformed header, a stale or
     * future timestamp, or a signature made with another secret or over other bytes.
     *
     * @param body      the request body exactly as received
     * @param header    the {@value #HEADER} header value; may be null
     * @param now       the receiver's current time
     * @param tolerance the largest accepted distance between {@code t} and {@code now}
     */
    public boolean verify(byte[] body, String header, Instant now, Duration tolerance) {
        if (body == null || header == null) {
            return false;
        }
        Long timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String element : header.split(",", -1)) {
            int equals = element.indexOf('=');
            if (equals <= 0) {
                return false;
            }
            String name = element.substring(0, equals).trim();
            String value = element.substring(equals + 1).trim();
            if (TIMESTAMP.equals(name)) {
                if (timestamp != null) {
                    return false;
                }
                timestamp = parseTimestamp(value);
                if (timestamp == null) {
                    return false;
                }
            } else if (SCHEME_V1.equals(name)) {
                byte[] candidate = parseHmac(value);
                if (candidate == null) {
                    return false;
                }
                candidates.add(candidate);
            }
        }
        if (timestamp == null || candidates.isEmpty()) {
            return false;
        }
        // Both are non-negative, so the difference cannot overflow.
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.getSeconds()) {
            return false;
        }
        byte[] expected = hmac(timestamp, body);
        boolean matched = false;
        for (byte[] candidate : candidates) {
            // No early exit: the time taken must not tell which candidate, or how much of it, matched.
            matched |= MessageDigest.isEqual(expected, candidate);
        }
        return matched;
    }

    private byte[] hmac(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((timestamp + ".").getBytes(UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }

    private static Long parseTimestamp(String value) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] parseHmac(String value) {
        if (value.length() != 2 * HMAC_SHA256_BYTES) {
            return null;
        }
        try {
            return HEX.parseHex(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
