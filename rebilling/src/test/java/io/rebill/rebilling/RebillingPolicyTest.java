package io.rebill.rebilling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.common.UsageType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RebillingPolicyTest {

    private final Map<String, RebillingTerms> settings = new HashMap<>();
    private final RebillingPolicy policy = new RebillingPolicy(key -> Optional.ofNullable(settings.get(key)));

    private static RebillingTerms terms(boolean enabled, boolean markupAllowed, int sms, Map<String, Long> fixed) {
        return new RebillingTerms(enabled, markupAllowed,
                Map.of(UsageType.SMS, sms, UsageType.PHONE_NUMBER, 10_500), fixed);
    }

    @Test
    void shouldApplyWorkspaceDefaultsToSubAccountsWithoutSettingsOfTheirOwn() {
        settings.put("ws", terms(true, true, 20_000, Map.of()));

        RebillingPolicy.Pricing newSubAccount = policy.price("ws", "brand-new", UsageType.SMS, 7_900);

        assertThat(newSubAccount).isEqualTo(new RebillingPolicy.Pricing(true, 20_000, 15_800));
    }

    @Test
    void shouldChargeNothingToSubAccountsThatAreNotRebilled() {
        settings.put("ws", terms(true, true, 20_000, Map.of()));
        settings.put("ws/sa", terms(false, true, 20_000, Map.of()));

        assertThat(policy.price("ws", "sa", UsageType.SMS, 7_900))
                .isEqualTo(new RebillingPolicy.Pricing(false, 10_000, 0));
    }

    @Test
    void shouldUseTheFixedResalePriceOfAnAddOnInsteadOfItsMultiplier() {
        settings.put("ws", terms(true, true, 20_000, Map.of("listings", 9_990_000L)));

        RebillingPolicy.Pricing listing = policy.priceAddOn("ws", "sa", UsageType.PHONE_NUMBER, "listings", 4_000_000);
        RebillingPolicy.Pricing number = policy.priceAddOn("ws", "sa", UsageType.PHONE_NUMBER, "local-number", 1_150_000);

        assertThat(listing).isEqualTo(new RebillingPolicy.Pricing(true, 10_000, 9_990_000));
        assertThat(number).isEqualTo(new RebillingPolicy.Pricing(true, 10_500, 1_207_500));
    }

    @Test
    void shouldIgnoreFixedResalePricesOnTiersThatMayNotMarkUp() {
        settings.put("ws", terms(true, false, 10_500, Map.of("listings", 9_990_000L)));

        assertThat(policy.priceAddOn("ws", "sa", UsageType.PHONE_NUMBER, "listings", 4_000_000))
                .isEqualTo(new RebillingPolicy.Pricing(true, 10_500, 4_200_000));
    }

    @Test
    void shouldRejectMultipliersOutsideOneToTenRatherThanClampThem() {
        settings.put("ws", terms(true, true, 9_999, Map.of()));
        settings.put("ws/big", terms(true, true, 100_001, Map.of()));

        assertThatThrownBy(() -> policy.price("ws", "sa", UsageType.SMS, 1_000))
                .isInstanceOfSatisfying(RebillingException.class,
                        e -> assertThat(e.problem()).isEqualTo(RebillingException.Problem.INVALID_SETTINGS))
                .hasMessageContaining("9999").hasMessageContaining("outside 1x..10x");
        assertThatThrownBy(() -> policy.price("ws", "big", UsageType.SMS, 1_000))
                .isInstanceOfSatisfying(RebillingException.class,
                        e -> assertThat(e.problem()).isEqualTo(RebillingException.Problem.INVALID_SETTINGS));
    }

    @Test
    void shouldRejectUsageOfWorkspacesWithoutSettings() {
        assertThatThrownBy(() -> policy.price("ghost", "sa", UsageType.SMS, 1_000))
                .isInstanceOfSatisfying(RebillingException.class,
                        e -> assertThat(e.problem()).isEqualTo(RebillingException.Problem.UNKNOWN_WORKSPACE))
                .hasMessageContaining("ghost");
    }
}
