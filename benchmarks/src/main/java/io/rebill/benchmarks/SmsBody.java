package io.rebill.benchmarks;

import io.rebill.schemas.usage.TextEncoding;

/** The three SMS shapes the messaging benchmarks time, with what {@code SmsSegments} should make of each. */
public enum SmsBody {

    /** A one-time code: 43 GSM-7 characters, one segment. */
    GSM7_SHORT("Your Acme Dental code is 482913. Reply STOP", TextEncoding.GSM7, 1),

    /** An appointment reminder: 193 GSM-7 characters, two concatenated parts. */
    GSM7_TWO_SEGMENTS("Hi Sam, this is Acme Dental: your cleaning with Dr. Patel is booked for Tue 14 Apr at 09:30,"
            + " 220 Main St, Suite 4. Please arrive 10 minutes early. Reply C to confirm or R to reschedule. Thanks!",
            TextEncoding.GSM7, 2),

    /** A booking confirmation with emoji (surrogate pairs) and 'á': UCS-2, 99 UTF-16 code units, two parts. */
    UCS2_EMOJI("Hola Ana 👋 tu mesa para 4 está confirmada el sábado a las 21:00 🍷 ¡Te esperamos en Casa Lucía! 😊",
            TextEncoding.UCS2, 2);

    private final String text;
    private final TextEncoding encoding;
    private final int segments;

    SmsBody(String text, TextEncoding encoding, int segments) {
        this.text = text;
        this.encoding = encoding;
        this.segments = segments;
    }

    public String text() {
        return text;
    }

    public TextEncoding encoding() {
        return encoding;
    }

    public int segments() {
        return segments;
    }
}
