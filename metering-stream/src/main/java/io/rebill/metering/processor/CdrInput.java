package io.rebill.metering.processor;

import io.rebill.rebilling.RebillingSettingsLookup;
import io.rebill.metering.rating.CdrRating;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCard;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.metering.rating.ReasonCode;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.topics.Topic;
import java.util.function.Function;

/**
 * Call detail records from carriers, identified by carrier and CDR id, corrected by version.
 *
 * @param maxBillableSeconds the longest call rated (see {@link CdrRating})
 */
public record CdrInput(Topic<String, CallDetailRecord> topic, int maxBillableSeconds)
        implements MeteredInput<CallDetailRecord> {

    @Override
    public String namePrefix() {
        return "metering-cdr";
    }

    @Override
    public String identityOrNull(CallDetailRecord cdr) {
        if (isBlank(cdr.getCarrierId()) || isBlank(cdr.getCdrId())) {
            return null;
        }
        return ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId());
    }

    @Override
    public int version(CallDetailRecord cdr) {
        return cdr.getVersion();
    }

    @Override
    public ReasonCode invalidRecordCode() {
        return ReasonCode.INVALID_CDR;
    }

    @Override
    public Function<CallDetailRecord, RatingOutcome> rater(RateCard rateCard, RebillingSettingsLookup settings) {
        CdrRating rating = new CdrRating(rateCard, settings, maxBillableSeconds);
        return cdr -> rating.rate(RatingRecords.callFacts(cdr));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
