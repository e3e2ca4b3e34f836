package io.rebill.metering.rating;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import java.time.Instant;

/**
 * One usage event priced for both wallets: what the workspace pays the platform ({@code costMicros})
 * and what the sub-account pays the workspace ({@code priceMicros}, 0 when not re-billed). The
 * processor publishes it as a {@code RatedCharge} on {@code metering.charges.rated}.
 *
 * @param rawQuantity as measured (call seconds)
 * @param billableQuantity after minimum and increments: what the cost was computed on
 * @param eventTime when the usage happened (a call's start)
 */
public record RatedUsage(String chargeId, String sourceRef, String workspaceId, String subAccountId,
                         UsageType usageType, QuantityUnit quantityUnit, long rawQuantity, long billableQuantity,
                         String currency, long costMicros, long priceMicros, boolean rebilled,
                         int multiplierBasisPoints, String rateId, int rateVersion, Instant eventTime) {
}
