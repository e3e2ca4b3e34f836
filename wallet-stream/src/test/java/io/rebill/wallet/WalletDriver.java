package io.rebill.wallet;

import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.schemas.wallet.state.WalletAccount;
import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import io.rebill.wallet.processor.WalletMeters;
import io.rebill.wallet.processor.WalletStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.DailyUsage;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.schemas.wallet.Plan;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The wallet topology in a TopologyTestDriver, configured by {@link WalletApp#config} against a
 * fresh in-memory registry scope, with typed handles on every topic the tests use.
 */
final class WalletDriver implements AutoCloseable {

    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, RatedCharge> charges;
    final TestInputTopic<byte[], byte[]> rawCharges;
    final TestInputTopic<String, WalletCommand> commands;
    final TestOutputTopic<String, LedgerEntry> ledger;
    final TestOutputTopic<String, WalletBalance> balances;
    final TestOutputTopic<String, DeadLetter> rejected;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestInputTopic<String, RebillingSettings> rebillingSettings;
    final TestInputTopic<String, Plan> plans;
    final TestOutputTopic<String, AccessStatus> access;
    final TestOutputTopic<String, RefillRequest> refills;
    final TestOutputTopic<String, PhoneNumberStatus> numbers;
    final TestOutputTopic<String, DailyUsage> usageDaily;
    private final String registryScope;

    WalletDriver(Path stateDir, Instant wallClock, Properties overrides) {
        this(stateDir, wallClock, overrides, WalletMeters.none());
    }

    /** With the processor counting into {@code meters}. */
    WalletDriver(Path stateDir, Instant wallClock, Properties overrides, WalletMeters meters) {
        registryScope = "wallet-stream-test-" + UUID.randomUUID();
        Properties settings = new Properties();
        settings.putAll(overrides);
        settings.put("schema.registry.url", MockSchemaRegistry.URL_PREFIX + registryScope);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Properties config = WalletApp.config(settings);
        Map<String, Object> serdeConfig = new HashMap<>();
        config.forEach((key, value) -> serdeConfig.put(key.toString(), value));
        topics = Topics.create(serdeConfig);
        driver = new TopologyTestDriver(WalletTopology.build(topics, config, meters), config, wallClock);

        charges = input(topics.chargesRated);
        rawCharges = driver.createInputTopic(topics.chargesRated.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        commands = input(topics.walletCommands);
        ledger = output(topics.walletLedger);
        balances = output(topics.walletBalances);
        rejected = output(topics.walletRejected);
        deadLetters = driver.createOutputTopic(topics.walletDeadLetter.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        rebillingSettings = input(topics.rebillingSettings);
        plans = input(topics.walletPlans);
        access = output(topics.walletAccess);
        refills = output(topics.refillRequested);
        numbers = output(topics.walletNumbers);
        usageDaily = output(topics.walletUsageDaily);
    }

    /** Re-billing settings for a workspace (subAccountId null) or a sub-account, published as the platform would. */
    void rebilling(String workspaceId, String subAccountId, boolean enabled) {
        RebillingSettings record = RebillingSettings.newBuilder().setWorkspaceId(workspaceId)
                .setSubAccountId(subAccountId).setRebillingEnabled(enabled).setUpdatedAt(java.time.Instant.EPOCH)
                .build();
        rebillingSettings.pipeInput(io.rebill.rebilling.RebillingSettingsKey.of(record), record);
    }

    void publishPlan(Plan plan) {
        plans.pipeInput(Topics.planKey(plan.getPlanId(), plan.getVersion()), plan);
    }

    KeyValueStore<String, io.rebill.schemas.wallet.state.AppliedCharge> appliedChargesStore() {
        return driver.getKeyValueStore(WalletStores.APPLIED_CHARGES);
    }

    KeyValueStore<String, io.rebill.schemas.wallet.state.AllowanceState> allowancesStore() {
        return driver.getKeyValueStore(WalletStores.ALLOWANCES);
    }

    KeyValueStore<String, WalletAccount> walletsStore() {
        return driver.getKeyValueStore(WalletStores.WALLETS);
    }

    KeyValueStore<String, Long> appliedReferencesStore() {
        return driver.getKeyValueStore(WalletStores.APPLIED_REFERENCES);
    }

    private <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            MockSchemaRegistry.dropScope(registryScope);
        }
    }
}
