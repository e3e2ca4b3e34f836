package io.rebill.metering.rating;

/**
 * The price terms of one rate-card entry, once it has been chosen for a call by {@link RateCard}.
 *
 * @param unitPriceMicros per minute for voice, in micro-units of {@code currency}
 */
public record Rate(String rateId, int version, String currency, long unitPriceMicros, int firstIncrementSeconds,
                   int nextIncrementSeconds, int minimumBillableSeconds, long connectFeeMicros) {

    /** A charge without a proper currency could not be debited from any wallet, so the entry is rejected. */
    public Rate {
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new UnratableUsageException(ReasonCode.INVALID_RATE,
                    "Rate " + rateId + " v" + version + " has no ISO 4217 currency: '" + currency + "'");
        }
    }

    /** The voice pricing of this entry; throws {@link ReasonCode#INVALID_RATE} when it cannot be applied. */
    public VoiceRater voiceRater() {
        return new VoiceRater(unitPriceMicros, firstIncrementSeconds, nextIncrementSeconds, minimumBillableSeconds,
                connectFeeMicros);
    }
}
