package io.rebill.wallet.processor;

import io.rebill.schemas.wallet.state.WorkspaceWallets;
import io.rebill.topics.Topics;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The two stores the charge and command processors share. Both processors declare the same
 * builder instances, which Kafka Streams registers once and connects to both, so they run in one
 * task per workspace partition and write both stores in the same exactly-once transaction.
 */
public final class WalletStores {

    /**
     * {@code workspaceId -> WorkspaceWallets}: both sides of a workspace's double wallet in one
     * value, so one charge updates the workspace and the sub-account wallet in one {@code put}.
     */
    public static final String WALLETS = "wallets";

    /**
     * {@code charge:<chargeId>} or {@code command:<commandId>} -> epoch millis when it was applied.
     * An id found here is skipped. Ids are kept for as long as the store lives; the applied time is
     * there so a retention policy can drop old ids without a format change.
     */
    public static final String APPLIED_REFERENCES = "applied-references";

    private final StoreBuilder<KeyValueStore<String, WorkspaceWallets>> wallets;
    private final StoreBuilder<KeyValueStore<String, Long>> appliedReferences;

    public WalletStores(Topics topics) {
        // The wallets store is keyed like the topics it is fed from: by workspace id.
        wallets = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WALLETS),
                topics.chargesRated.keySerde(), topics.storeSerde(WorkspaceWallets.class));
        appliedReferences = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(APPLIED_REFERENCES),
                Serdes.String(), Serdes.Long());
    }

    /** The key under which a charge id is remembered in {@link #APPLIED_REFERENCES}. */
    public static String chargeReference(String chargeId) {
        return "charge:" + chargeId;
    }

    /** The key under which a command id is remembered in {@link #APPLIED_REFERENCES}. */
    public static String commandReference(String commandId) {
        return "command:" + commandId;
    }

    Set<StoreBuilder<?>> builders() {
        return Set.of(wallets, appliedReferences);
    }
}
