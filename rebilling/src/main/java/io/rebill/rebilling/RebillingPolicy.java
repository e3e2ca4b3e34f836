package io.rebill.rebilling;

import io.rebill.schemas.common.UsageType;
import java.util.Optional;

/**
 * Who pays what for one platform cost: the re-billing rules agencies set, applied the same way to
 * calls, messages and add-ons. Rating decides the cost; this class decides the sub-account's price.
 *
 * <ul>
 *   <li>A workspace must have settings of its own (its defaults); usage of a workspace without them
 *       is {@link RebillingException.Problem#UNKNOWN_WORKSPACE}, since nobody could say how to bill it.</li>
 *   <li>A sub-account's own settings apply; without them the workspace defaults do, so new
 *       sub-accounts inherit them.</li>
 *   <li>Not re-billed: the sub-account pays 0 and the charge records 1.00x.</li>
 *   <li>Re-billed: price = {@link Markup#priceMicros} at the usage type's multiplier, or the fixed
 *       resale price of an add-on when one is set.</li>
 *   <li>The workspace's tier rules: when its defaults say markup is not allowed, every multiplier
 *       is 1.05x and fixed resale prices are ignored, whatever a sub-account's settings say.</li>
 *   <li>A multiplier outside 1.00x..10.00x is {@link RebillingException.Problem#INVALID_SETTINGS}: never clamped.</li>
 * </ul>
 */
public final class RebillingPolicy {

    /** The sub-account's side of one charge. */
    public record Pricing(boolean rebilled, int multiplierBasisPoints, long priceMicros) {
    }

    private final RebillingSettingsLookup settings;

    public RebillingPolicy(RebillingSettingsLookup settings) {
        this.settings = settings;
    }

    /** The price of usage charged at a multiplier. */
    public Pricing price(String workspaceId, String subAccountId, UsageType usageType, long costMicros) {
        return price(workspaceId, subAccountId, usageType, Optional.empty(), costMicros);
    }

    /** The price of an add-on: its fixed resale price when the settings set one, else its multiplier. */
    public Pricing priceAddOn(String workspaceId, String subAccountId, UsageType usageType, String addOn,
                              long costMicros) {
        return price(workspaceId, subAccountId, usageType, Optional.of(addOn), costMicros);
    }

    /** Fails with UNKNOWN_WORKSPACE when the workspace has no settings; rating checks this before anything else. */
    public void requireKnownWorkspace(String workspaceId) {
        workspaceDefaults(workspaceId);
    }

    private Pricing price(String workspaceId, String subAccountId, UsageType usageType, Optional<String> addOn,
                          long costMicros) {
        RebillingTerms workspace = workspaceDefaults(workspaceId);
        RebillingTerms effective = settings.find(RebillingSettingsKey.forSubAccount(workspaceId, subAccountId))
                .orElse(workspace);
        if (!effective.rebillingEnabled()) {
            return new Pricing(false, Markup.ONE_X_BASIS_POINTS, 0);
        }
        boolean markupAllowed = workspace.markupAllowed() && effective.markupAllowed();
        if (!markupAllowed) {
            return new Pricing(true, Markup.FIXED_TIER_BASIS_POINTS,
                    Markup.priceMicros(costMicros, Markup.FIXED_TIER_BASIS_POINTS));
        }
        Optional<Long> fixedPrice = addOn.flatMap(effective::fixedResalePriceFor);
        if (fixedPrice.isPresent()) {
            return new Pricing(true, Markup.ONE_X_BASIS_POINTS, requireValidFixedPrice(fixedPrice.get(), addOn.get()));
        }
        int multiplier = effective.multiplierFor(usageType).orElseThrow(() -> new RebillingException(
                RebillingException.Problem.INVALID_SETTINGS, "Re-billing settings of " + workspaceId + "/" + subAccountId
                        + " set no multiplier for " + usageType));
        return new Pricing(true, multiplier, Markup.priceMicros(costMicros, multiplier));
    }

    private RebillingTerms workspaceDefaults(String workspaceId) {
        return settings.find(RebillingSettingsKey.forWorkspace(workspaceId))
                .orElseThrow(() -> new RebillingException(RebillingException.Problem.UNKNOWN_WORKSPACE, "Workspace '"
                        + workspaceId + "' has no re-billing settings on metering.rebilling-settings;"
                        + " every workspace needs its defaults there before its usage can be billed"));
    }

    private static long requireValidFixedPrice(long priceMicros, String addOn) {
        if (priceMicros < 0) {
            throw new RebillingException(RebillingException.Problem.INVALID_SETTINGS,
                    "Fixed resale price of " + addOn + " is negative: " + priceMicros + " micros");
        }
        return priceMicros;
    }
}
