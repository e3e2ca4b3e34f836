package io.rebill.metering.rating;

import io.rebill.schemas.usage.TextEncoding;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Counts the segments an SMS is billed in: the quantity {@link MessageRating} prices SMS on, and the
 * one place in the pipeline where segments are counted. Carriers bill per segment, not per message,
 * so a long or non-Latin text costs several units.
 *
 * <p>Encoding, chosen from the body:
 * <ul>
 *   <li>GSM-7 when every character is in the 3GPP TS 23.038 default alphabet or its extension
 *       table. A character of the basic set costs 1 septet; one of the extension table
 *       ({@code ^ { } \ [ ~ ] | €} and form feed) costs 2, the escape and the character.</li>
 *   <li>UCS-2 as soon as one character is in neither (a lowercase {@code ç}, a backtick, an emoji),
 *       for the whole message. It costs UTF-16 code units: 1 per BMP character, 2 per character
 *       outside the BMP (a surrogate pair).</li>
 * </ul>
 *
 * <p>Segments:
 * <ul>
 *   <li>GSM-7: up to 160 septets is one segment; beyond that, parts of at most 153 septets (the
 *       concatenation header takes the rest), filled greedily, and an escape pair is never split
 *       across two parts, so a part may carry 152.</li>
 *   <li>UCS-2: up to 70 code units is one segment; beyond that, parts of at most 67 code units,
 *       filled greedily, and a surrogate pair is never split, so a part may carry 66.</li>
 *   <li>An empty body is one segment: the carrier still sends, and bills, a message.</li>
 * </ul>
 */
public final class SmsSegments {

    /**
     * How one SMS is encoded and billed.
     *
     * @param units septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2
     * @param segments what the SMS is billed in; at least 1
     */
    public record SegmentCount(TextEncoding encoding, int units, int segments) {
    }

    static final int GSM7_SINGLE_SEPTETS = 160;
    static final int GSM7_PART_SEPTETS = 153;
    static final int UCS2_SINGLE_UNITS = 70;
    static final int UCS2_PART_UNITS = 67;

    /** The TS 23.038 default alphabet in code order, without 0x1B (the escape to the extension table). */
    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The TS 23.038 extension table characters carriers send, each preceded by the escape. */
    private static final String GSM7_EXTENSION = "\f^{}\\[~]|€";

    private static final BitSet BASIC = charsOf(GSM7_BASIC);
    private static final BitSet EXTENSION = charsOf(GSM7_EXTENSION);

    private SmsSegments() {
    }

    /** The encoding, size and segment count of an SMS whose body is known. */
    public static SegmentCount count(String body) {
        return count(body, null);
    }

    /**
     * As {@link #count(String)}, but a body the sender declares it sent as UCS-2 is counted as
     * UCS-2 even when every character would fit GSM-7: the carrier bills what was sent.
     */
    public static SegmentCount count(String body, TextEncoding declared) {
        Packing packing = pack(body, declared == TextEncoding.UCS2);
        return new SegmentCount(packing.encoding(), packing.units(), packing.starts().size());
    }

    /**
     * The texts of the segments {@link #count} bills, in order; joined, they are the body. An empty
     * body is one empty segment.
     */
    public static List<String> split(String body) {
        List<Integer> starts = pack(body, false).starts();
        List<String> segments = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1) : body.length();
            segments.add(body.substring(starts.get(i), end));
        }
        return List.copyOf(segments);
    }

    /**
     * The segment count of an SMS whose body the sender withholds, from its encoding and length:
     * {@code length <= single ? 1 : ceil(length / part)} with 160/153 for GSM-7 and 70/67 for UCS-2.
     * Where escape pairs and surrogate pairs fall is unknown, so parts are assumed full: a body whose
     * pairs straddle part boundaries can take more parts under {@link #count} than the length alone
     * shows.
     *
     * @param length septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2
     * @throws UnratableUsageException {@link ReasonCode#INVALID_MESSAGE} when the length is negative or
     *     the encoding is missing or {@code UNKNOWN}
     */
    public static SegmentCount countFromLength(TextEncoding encoding, int length) {
        if (length < 0) {
            throw invalid("body length is negative: " + length);
        }
        if (encoding == null) {
            throw invalid("a body length without an encoding cannot be counted in segments");
        }
        return switch (encoding) {
            case GSM7 -> new SegmentCount(encoding, length,
                    segmentsOfLength(length, GSM7_SINGLE_SEPTETS, GSM7_PART_SEPTETS));
            case UCS2 -> new SegmentCount(encoding, length,
                    segmentsOfLength(length, UCS2_SINGLE_UNITS, UCS2_PART_UNITS));
            default -> throw invalid("encoding " + encoding + " cannot be counted in segments");
        };
    }

    /** Where each segment starts in the body, and what the whole body costs. */
    private record Packing(TextEncoding encoding, int units, List<Integer> starts) {
    }

    private static Packing pack(String body, boolean sentAsUcs2) {
        Objects.requireNonNull(body, "body");
        boolean gsm7 = !sentAsUcs2 && isGsm7(body);
        TextEncoding encoding = gsm7 ? TextEncoding.GSM7 : TextEncoding.UCS2;
        int single = gsm7 ? GSM7_SINGLE_SEPTETS : UCS2_SINGLE_UNITS;
        int part = gsm7 ? GSM7_PART_SEPTETS : UCS2_PART_UNITS;

        long total = 0;
        for (int i = 0; i < body.length(); i += Character.charCount(body.codePointAt(i))) {
            total += cost(body, i, gsm7);
        }
        if (total > Integer.MAX_VALUE) {
            throw invalid("body of " + body.length() + " characters is too long to be an SMS");
        }
        if (total <= single) {
            return new Packing(encoding, (int) total, List.of(0));
        }
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        int used = 0;
        for (int i = 0; i < body.length(); i += Character.charCount(body.codePointAt(i))) {
            int cost = cost(body, i, gsm7);
            // A character that does not fit whole opens the next part: pairs are never split.
            if (used + cost > part) {
                starts.add(i);
                used = 0;
            }
            used += cost;
        }
        return new Packing(encoding, (int) total, starts);
    }

    /**
     * Septets (GSM-7) or UTF-16 code units (UCS-2) of the character at {@code index}. A lone
     * surrogate is one code unit: it is sent as it is, and nothing can pair it.
     */
    private static int cost(String body, int index, boolean gsm7) {
        if (gsm7) {
            return EXTENSION.get(body.charAt(index)) ? 2 : 1;
        }
        return Character.charCount(body.codePointAt(index));
    }

    private static boolean isGsm7(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!BASIC.get(c) && !EXTENSION.get(c)) {
                return false;
            }
        }
        return true;
    }

    private static int segmentsOfLength(int length, int single, int part) {
        if (length <= single) {
            return 1;
        }
        return length / part + (length % part == 0 ? 0 : 1);
    }

    private static BitSet charsOf(String characters) {
        BitSet set = new BitSet();
        characters.chars().forEach(set::set);
        return set;
    }

    private static UnratableUsageException invalid(String reason) {
        return new UnratableUsageException(ReasonCode.INVALID_MESSAGE, "Invalid message: " + reason);
    }
}
