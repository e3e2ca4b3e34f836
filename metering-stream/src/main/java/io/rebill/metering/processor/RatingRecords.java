package io.rebill.metering.processor;

import io.rebill.rebilling.RebillingTerms;
import io.rebill.metering.rating.CallFacts;
import io.rebill.metering.rating.Rate;
import io.rebill.metering.rating.RatedUsage;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import java.time.Instant;
import java.util.Map;

/** Converts between the Avro records on the topics and the rating domain's plain records. */
final class RatingRecords {

    private RatingRecords() {
    }

    static CallFacts callFacts(CallDetailRecord cdr) {
        return new CallFacts(cdr.getCarrierId(), cdr.getCdrId(), cdr.getVersion(), cdr.getWorkspaceId(),
                cdr.getSubAccountId(), cdr.getService(), cdr.getDirection(), cdr.getToNumber(), cdr.getStartTime(),
                cdr.getAnswerTime(), cdr.getEndTime(), cdr.getBillableSeconds(), cdr.getDisposition());
    }

    static Rate rate(RateCardEntry entry) {
        return new Rate(entry.getRateId(), entry.getVersion(), entry.getCurrency(), entry.getUnitPriceMicros(),
                entry.getFirstIncrementSeconds(), entry.getNextIncrementSeconds(),
                entry.getMinimumBillableSeconds(), entry.getConnectFeeMicros(), entry.getUnansweredCallFeeMicros());
    }

    static RebillingTerms rebillingTerms(RebillingSettings settings) {
        return RebillingTerms.from(settings);
    }

    static RatedCharge ratedCharge(RatedUsage usage, Instant ratedAt) {
        return RatedCharge.newBuilder()
                .setChargeId(usage.chargeId())
                .setSourceRef(usage.sourceRef())
                .setWorkspaceId(usage.workspaceId())
                .setSubAccountId(usage.subAccountId())
                .setUsageType(usage.usageType())
                .setQuantityUnit(usage.quantityUnit())
                .setRawQuantity(usage.rawQuantity())
                .setBillableQuantity(usage.billableQuantity())
                .setCurrency(usage.currency())
                .setCostMicros(usage.costMicros())
                .setPriceMicros(usage.priceMicros())
                .setRebilled(usage.rebilled())
                .setMultiplierBasisPoints(usage.multiplierBasisPoints())
                .setRateId(usage.rateId())
                .setRateVersion(usage.rateVersion())
                .setEventTime(usage.eventTime())
                .setRatedAt(ratedAt)
                .setBillable(usage.billable())
                .setKind(usage.kind())
                .setReversesChargeId(usage.reversesChargeId())
                .setMarginMicros(usage.marginMicros())
                .build();
    }

    /** The domain charge back from a stored {@code RatedCharge}, so a correction can reverse it exactly. */
    static RatedUsage ratedUsage(RatedCharge charge) {
        return new RatedUsage(charge.getChargeId(), charge.getSourceRef(), charge.getWorkspaceId(),
                charge.getSubAccountId(), charge.getUsageType(), charge.getQuantityUnit(), charge.getRawQuantity(),
                charge.getBillableQuantity(), charge.getCurrency(), charge.getCostMicros(), charge.getPriceMicros(),
                charge.getRebilled(), charge.getMultiplierBasisPoints(), charge.getRateId(), charge.getRateVersion(),
                charge.getEventTime(), charge.getBillable(), charge.getKind(), charge.getReversesChargeId());
    }
}
