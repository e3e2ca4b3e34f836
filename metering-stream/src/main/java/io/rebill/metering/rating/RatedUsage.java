package io.rebill.metering.rating;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.ChargeKind;
import java.time.Instant;

/**
 * One usage event priced for both wallets: what the workspace pays the platform ({@code costMicros})
 * and what the sub-account pays the workspace ({@code priceMicros}, 0 when not re-billed). The
 * processor publishes it as a {@code RatedCharge} on {@code metering.charges.rated}.
 *
 * @param rawQuantity as measured (call seconds, message segments, messages)
 * @param billableQuantity after minimum and increments: what the cost was computed on
 * @param eventTime when the usage happened (a call's start, a message's timestamp)
 * @param billable false for usage recorded but not charged (inbound email): both amounts are 0
 * @param reversesChargeId for a {@link ChargeKind#REVERSAL}, the charge it credits back
 */
public record RatedUsage(String chargeId, String sourceRef, String workspaceId, String subAccountId,
                         UsageType usageType, QuantityUnit quantityUnit, long rawQuantity, long billableQuantity,
                         String currency, long costMicros, long priceMicros, boolean rebilled,
                         int multiplierBasisPoints, String rateId, int rateVersion, Instant eventTime,
                         boolean billable, ChargeKind kind, String reversesChargeId) {

    /** A usage charge, billable. */
    public RatedUsage(String chargeId, String sourceRef, String workspaceId, String subAccountId,
                      UsageType usageType, QuantityUnit quantityUnit, long rawQuantity, long billableQuantity,
                      String currency, long costMicros, long priceMicros, boolean rebilled,
                      int multiplierBasisPoints, String rateId, int rateVersion, Instant eventTime) {
        this(chargeId, sourceRef, workspaceId, subAccountId, usageType, quantityUnit, rawQuantity, billableQuantity,
                currency, costMicros, priceMicros, rebilled, multiplierBasisPoints, rateId, rateVersion, eventTime,
                true, ChargeKind.USAGE, null);
    }

    /** What the agency keeps: price less cost, negative when it absorbs a cost it does not re-bill. */
    public long marginMicros() {
        return Math.subtractExact(priceMicros, costMicros);
    }

    /**
     * The charge that credits this one back when a corrected record replaces it: the same terms and
     * quantities with both amounts negated, so the two sum to exactly nothing in each wallet.
     */
    public RatedUsage reversal() {
        if (kind != ChargeKind.USAGE) {
            throw new IllegalStateException("Only a usage charge can be reversed, not " + kind + " " + chargeId);
        }
        return new RatedUsage(ChargeIds.reversalOf(chargeId), sourceRef, workspaceId, subAccountId, usageType,
                quantityUnit, -rawQuantity, -billableQuantity, currency, Math.negateExact(costMicros),
                Math.negateExact(priceMicros), rebilled, multiplierBasisPoints, rateId, rateVersion, eventTime,
                billable, ChargeKind.REVERSAL, chargeId);
    }
}
