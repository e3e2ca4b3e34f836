package io.rebill.rebilling;

import java.util.Optional;

/** Re-billing settings by {@link RebillingSettingsKey}; the processor backs it with the settings global table. */
@FunctionalInterface
public interface RebillingSettingsLookup {

    Optional<RebillingTerms> find(String settingsKey);
}
