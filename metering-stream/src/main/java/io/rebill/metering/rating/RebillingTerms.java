package io.rebill.metering.rating;

import io.rebill.schemas.common.UsageType;
import java.util.Map;

/**
 * The re-billing settings in force for a sub-account: its own, or its workspace's default (see
 * {@link CdrRating}). They decide whether a charge is re-billed and at which multiplier.
 *
 * @param markupAllowed false on workspace tiers that may not mark up: every multiplier is then 1.05x
 * @param multiplierBasisPoints per usage type, 10000 = 1.00x
 */
public record RebillingTerms(boolean rebillingEnabled, boolean markupAllowed,
                             Map<UsageType, Integer> multiplierBasisPoints) {

    public RebillingTerms {
        multiplierBasisPoints = Map.copyOf(multiplierBasisPoints);
    }

    /** The multiplier of a usage type, pinned to {@link Markup#FIXED_TIER_BASIS_POINTS} when markup is not allowed. */
    public int multiplierFor(UsageType usageType) {
        if (!markupAllowed) {
            return Markup.FIXED_TIER_BASIS_POINTS;
        }
        Integer basisPoints = multiplierBasisPoints.get(usageType);
        if (basisPoints == null) {
            throw new UnratableUsageException(ReasonCode.INVALID_SETTINGS, "No re-billing multiplier for " + usageType);
        }
        return basisPoints;
    }
}
