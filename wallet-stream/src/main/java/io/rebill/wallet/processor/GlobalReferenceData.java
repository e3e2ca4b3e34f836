package io.rebill.wallet.processor;

import io.rebill.rebilling.RebillingPolicy;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.rebilling.RebillingTerms;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.streams.GlobalStoreMemo;
import io.rebill.streams.StoreValues;
import io.rebill.topics.Topics;
import io.rebill.wallet.allowance.Plan;
import io.rebill.wallet.book.ReferenceData;
import java.util.Optional;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The wallet rules' reference data, read from wallet-stream's global tables of settings and plans. */
final class GlobalReferenceData implements ReferenceData {

    private final GlobalStoreMemo<String, Optional<RebillingTerms>> settings;
    private final ReadOnlyKeyValueStore<String, ?> plans;
    private final RebillingPolicy rebilling;

    /** @param settings read through a {@link GlobalStoreMemo}: every charge asks for its sub-account's and workspace's terms */
    <S extends ReadOnlyKeyValueStore<String, ?> & StateStore> GlobalReferenceData(S settings,
                                                                                 ReadOnlyKeyValueStore<String, ?> plans) {
        this.settings = new GlobalStoreMemo<>(settings, key -> Optional.ofNullable(StoreValues.unwrap(
                settings.get(key), RebillingSettings.class)).map(RebillingTerms::from));
        this.plans = plans;
        this.rebilling = new RebillingPolicy(this::terms);
    }

    private Optional<RebillingTerms> terms(String key) {
        return settings.apply(key);
    }

    @Override
    public boolean rebilled(String workspaceId, String subAccountId) {
        return terms(RebillingSettingsKey.forSubAccount(workspaceId, subAccountId))
                .or(() -> terms(RebillingSettingsKey.forWorkspace(workspaceId)))
                .map(RebillingTerms::rebillingEnabled)
                .orElse(false);
    }

    @Override
    public RebillingPolicy rebilling() {
        return rebilling;
    }

    @Override
    public Optional<Plan> plan(String planId, int version) {
        return Optional.ofNullable(StoreValues.unwrap(plans.get(Topics.planKey(planId, version)),
                io.rebill.schemas.wallet.Plan.class)).map(StateRecords::plan);
    }
}
