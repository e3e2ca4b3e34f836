package io.rebill.cli.ops;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.common.header.Headers;

/**
 * One record of a dead-letter or rejected topic, the same shape whichever kind of topic it was
 * read from (see {@link DeadLetterTopic}): where it sits, where it came from, why, and the bytes
 * and headers to put back where it came from.
 *
 * @param replayTopic where a replay produces it; null when that is not known
 * @param sourcePartition null when not known
 * @param sourceOffset null when not known
 */
record DeadLetterEntry(String topic, int partition, long offset, Instant time,
                       String sourceTopic, Integer sourcePartition, Long sourceOffset,
                       String reasonCode, String reason,
                       String replayTopic, byte[] key, byte[] value, Headers headers) {

    private static final int MAX_REASON_LENGTH = 300;
    private static final int MAX_KEY_BYTES_SHOWN = 16;

    /** One line for {@code rebill dlq list}: topic, partition@offset, source, reason code, reason, time. */
    String line() {
        return topic + "  " + partition + "@" + offset + "  from " + source() + "  " + reasonCode + "  "
                + oneLine(reason) + "  " + time;
    }

    private String source() {
        String where = sourceTopic == null ? "an unknown topic" : sourceTopic
                + (sourcePartition == null ? "" : " " + sourcePartition + "@" + (sourceOffset == null ? "?" : sourceOffset));
        return where + " key=" + printable(key);
    }

    private static String oneLine(String text) {
        String flat = text == null || text.isBlank() ? "(no reason given)" : text.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_REASON_LENGTH ? flat : flat.substring(0, MAX_REASON_LENGTH) + "...";
    }

    /** Keys are text on every Rebill topic; anything else is shown as hex rather than as mojibake. */
    static String printable(byte[] bytes) {
        if (bytes == null) {
            return "(none)";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.codePoints().anyMatch(Character::isISOControl) ? hex(bytes) : text;
        } catch (CharacterCodingException notText) {
            return hex(bytes);
        }
    }

    private static String hex(byte[] bytes) {
        int shown = Math.min(bytes.length, MAX_KEY_BYTES_SHOWN);
        return "0x" + HexFormat.of().formatHex(Arrays.copyOf(bytes, shown)) + (bytes.length > shown ? "..." : "");
    }
}
