package io.rebill.metering.rating;

import java.util.regex.Pattern;

/**
 * The price terms of one rate-card entry, once it has been chosen for a call by {@link RateCard}.
 *
 * @param unitPriceMicros per minute for voice, per segment for SMS, per message for MMS and email, in
 *     micro-units of {@code currency}
 * @param unansweredCallFeeMicros charged for a call attempt that was not answered; 0 = free
 */
public record Rate(String rateId, int version, String currency, long unitPriceMicros, int firstIncrementSeconds,
                   int nextIncrementSeconds, int minimumBillableSeconds, long connectFeeMicros,
                   long unansweredCallFeeMicros) {

    /** A charge without a proper currency could not be debited from any wallet, so the entry is rejected. */
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public Rate {
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new UnratableUsageException(ReasonCode.INVALID_RATE,
                    "Rate " + rateId + " v" + version + " has no ISO 4217 currency: '" + currency + "'");
        }
        if (unitPriceMicros < 0 || unansweredCallFeeMicros < 0) {
            throw new UnratableUsageException(ReasonCode.INVALID_RATE, "Rate " + rateId + " v" + version
                    + " has a negative price (" + unitPriceMicros + " unit, " + unansweredCallFeeMicros
                    + " unanswered-call fee, micros)");
        }
    }

    /** A rate for usage priced per unit only (messages), with no increments or fees. */
    public static Rate perUnit(String rateId, int version, String currency, long unitPriceMicros) {
        return new Rate(rateId, version, currency, unitPriceMicros, 1, 1, 0, 0, 0);
    }

    /** The voice pricing of this entry; throws {@link ReasonCode#INVALID_RATE} when it cannot be applied. */
    public VoiceRater voiceRater() {
        return new VoiceRater(unitPriceMicros, firstIncrementSeconds, nextIncrementSeconds, minimumBillableSeconds,
                connectFeeMicros);
    }
}
