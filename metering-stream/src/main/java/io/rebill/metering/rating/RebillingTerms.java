package io.rebill.metering.rating;

import io.rebill.schemas.common.UsageType;
import java.util.Map;
import java.util.Optional;

/**
 * One re-billing settings record (a sub-account's own, or its workspace's default), as
 * {@link RebillingPolicy} reads it.
 *
 * @param markupAllowed false on workspace tiers that may not mark up
 * @param multiplierBasisPoints per usage type, 10000 = 1.00x
 * @param fixedResalePricesMicros add-on name to the price the sub-account pays instead of a multiplier
 */
public record RebillingTerms(boolean rebillingEnabled, boolean markupAllowed,
                             Map<UsageType, Integer> multiplierBasisPoints, Map<String, Long> fixedResalePricesMicros) {

    public RebillingTerms {
        multiplierBasisPoints = Map.copyOf(multiplierBasisPoints);
        fixedResalePricesMicros = Map.copyOf(fixedResalePricesMicros);
    }

    public RebillingTerms(boolean rebillingEnabled, boolean markupAllowed, Map<UsageType, Integer> multiplierBasisPoints) {
        this(rebillingEnabled, markupAllowed, multiplierBasisPoints, Map.of());
    }

    /** The multiplier these terms set for a usage type, as set (range and tier checks are the policy's). */
    public Optional<Integer> multiplierFor(UsageType usageType) {
        return Optional.ofNullable(multiplierBasisPoints.get(usageType));
    }

    public Optional<Long> fixedResalePriceFor(String addOn) {
        return Optional.ofNullable(fixedResalePricesMicros.get(addOn));
    }
}
