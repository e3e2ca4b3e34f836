package io.rebill.billing.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformWebhookSignatureTest {

    private static final String SECRET = "whsec_abc123";
    private static final Instant SIGNED_AT = Instant.parse("2025-05-01T10:00:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final byte[] BODY = "{\"id\":\"access:sub-1:1746093600000:ON_HOLD\"}".getBytes(UTF_8);

    private final PlatformWebhookSignature signature = new PlatformWebhookSignature(SECRET);

    @Test
    void signsTimestampDotBodyWithHmacSha256InStripesFormat() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(
                mac.doFinal(("1746093600." + new String(BODY, UTF_8)).getBytes(UTF_8)));

        assertThat(signature.sign(BODY, SIGNED_AT)).isEqualTo("t=1746093600,v1=" + expected);
    }

    @Test
    void verifiesItsOwnSignatureWithinTolerance() {
        String header = signature.sign(BODY, SIGNED_AT);

        assertThat(signature.verify(BODY, header, SIGNED_AT, TOLERANCE)).isTrue();
        assertThat(signature.verify(BODY, header, SIGNED_AT.plus(TOLERANCE), TOLERANCE)).isTrue();
        assertThat(signature.verify(BODY, header, SIGNED_AT.minus(TOLERANCE), TOLERANCE)).isTrue();
    }

    @Test
    void rejectsATamperedBody() {
        String header = signature.sign(BODY, SIGNED_AT);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;

        assertThat(signature.verify(tampered, header, SIGNED_AT, TOLERANCE)).isFalse();
    }

    @Test
    void rejectsATamperedTimestamp() {
        String header = signature.sign(BODY, SIGNED_AT).replace("t=1746093600", "t=1746093601");

        assertThat(signature.verify(BODY, header, SIGNED_AT, TOLERANCE)).isFalse();
    }

    @Test
    void rejectsStaleAndFutureSignatures() {
        String header = signature.sign(BODY, SIGNED_AT);

        assertThat(signature.verify(BODY, header, SIGNED_AT.plus(TOLERANCE).plusSeconds(1), TOLERANCE)).isFalse();
        assertThat(signature.verify(BODY, header, SIGNED_AT.minus(TOLERANCE).minusSeconds(1), TOLERANCE)).isFalse();
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() {
        String header = new PlatformWebhookSignature("whsec_other").sign(BODY, SIGNED_AT);

        assertThat(signature.verify(BODY, header, SIGNED_AT, TOLERANCE)).isFalse();
    }

    @Test
    void acceptsAnyMatchingV1AndIgnoresOtherSchemes() {
        String valid = signature.sign(BODY, SIGNED_AT);
        String v1 = valid.substring(valid.indexOf("v1="));
        String rotated = "t=1746093600,v1=" + "0".repeat(64) + ", " + v1 + ",v0=legacy";

        assertThat(signature.verify(BODY, rotated, SIGNED_AT, TOLERANCE)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "garbage",
            "t=1746093600",
            "v1=0000000000000000000000000000000000000000000000000000000000000000",
            "t=abc,v1=0000000000000000000000000000000000000000000000000000000000000000",
            "t=-1,v1=0000000000000000000000000000000000000000000000000000000000000000",
            "t=99999999999999999999,v1=0000000000000000000000000000000000000000000000000000000000000000",
            "t=1746093600,v1=zz",
            "t=1746093600,v1=abcd",
            "t=1746093600,t=1746093600,v1=0000000000000000000000000000000000000000000000000000000000000000",
            "t=1746093600,,v1=0000000000000000000000000000000000000000000000000000000000000000",
            "=1746093600,v1=0000000000000000000000000000000000000000000000000000000000000000"})
    void rejectsMalformedHeadersWithoutThrowing(String header) {
        assertThat(signature.verify(BODY, header, SIGNED_AT, TOLERANCE)).isFalse();
    }

    @Test
    void rejectsAMissingHeaderOrBody() {
        String header = signature.sign(BODY, SIGNED_AT);

        assertThat(signature.verify(BODY, null, SIGNED_AT, TOLERANCE)).isFalse();
        assertThat(signature.verify(null, header, SIGNED_AT, TOLERANCE)).isFalse();
    }

    @Test
    void refusesABlankSecret() {
        assertThatThrownBy(() -> new PlatformWebhookSignature(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret");
    }
}
