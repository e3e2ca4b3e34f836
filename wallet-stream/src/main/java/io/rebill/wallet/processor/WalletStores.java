package io.rebill.wallet.processor;

import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.schemas.wallet.state.AllowanceState;
import io.rebill.schemas.wallet.state.AppliedCharge;
import io.rebill.schemas.wallet.state.RecentLedgerEntry;
import io.rebill.schemas.wallet.state.WalletAccount;
import io.rebill.schemas.wallet.state.WorkspaceDayUsage;
import io.rebill.topics.Topics;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores of wallet-stream's one processor, all written in the same exactly-once transaction.
 * Every key starts with the workspace id, the key of the inputs, so a workspace's state lives in
 * the task that owns its partition; queries route by the workspace id alone. Values are small and
 * per wallet or per sub-account, so a charge's cost does not grow with the workspace's size. The
 * stores whose keys recur (wallets, allowances, daily usage) are cached, so a wallet charged many
 * times within a commit interval is written to RocksDB and its changelog once; the others get a
 * new key per charge, where a cache would only churn.
 */
public final class WalletStores {

    /**
     * {@code walletId -> WalletAccount}: each wallet of the double wallet with its refill state, and a
     * sub-account's published access state. Wallet ids are {@code workspaceId} and
     * {@code workspaceId/subAccountId}, so a charge reads two small entries, and a prefix scan finds
     * a workspace's sub-accounts when a record concerns them all.
     */
    public static final String WALLETS = "wallet-accounts";
    /** {@code command:<commandId> -> applied time}: a command id found here is skipped. */
    public static final String APPLIED_REFERENCES = "applied-references";
    /** {@code <chargeId> -> AppliedCharge}: a charge id found here is skipped; a reversal reads what it debited. */
    public static final String APPLIED_CHARGES = "applied-charges";
    /** {@code workspaceId/subAccountId -> AllowanceState}: plan, trial and minutes of a sub-account. */
    public static final String ALLOWANCES = "allowances";
    /** {@code workspaceId/number -> PhoneNumberStatus}: the numbers a workspace rents. */
    public static final String NUMBERS = "phone-numbers";
    /**
     * {@code walletId#slot -> RecentLedgerEntry}: each wallet's latest {@link #LEDGER_ENTRIES_KEPT}
     * entries, for ledger pages. Entry {@code n} goes to slot {@code n % LEDGER_ENTRIES_KEPT} and
     * replaces the entry that many postings older, so keeping the window costs no deletes.
     */
    public static final String LEDGER = "ledger-recent-slots";
    /**
     * {@code workspaceId/subAccountId} at a UTC day's start {@code -> WorkspaceDayUsage}: the daily
     * usage aggregate of one sub-account, by usage type.
     */
    public static final String DAILY_USAGE = "usage-daily-sub-accounts";

    /** Ledger pages reach back this many entries per wallet; wallet.ledger keeps them all. */
    public static final int LEDGER_ENTRIES_KEPT = 500;

    private final Set<StoreBuilder<?>> builders;

    public WalletStores(Topics topics, Duration dailyUsageRetention) {
        builders = Set.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WALLETS), Serdes.String(),
                        topics.storeSerde(WalletAccount.class)).withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(APPLIED_REFERENCES), Serdes.String(),
                        Serdes.Long()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(APPLIED_CHARGES), Serdes.String(),
                        topics.storeSerde(AppliedCharge.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALLOWANCES), Serdes.String(),
                        topics.storeSerde(AllowanceState.class)).withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NUMBERS), Serdes.String(),
                        topics.storeSerde(PhoneNumberStatus.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER), Serdes.String(),
                        topics.storeSerde(RecentLedgerEntry.class)),
                Stores.windowStoreBuilder(Stores.persistentWindowStore(DAILY_USAGE, dailyUsageRetention,
                        Duration.ofDays(1), false), Serdes.String(), topics.storeSerde(WorkspaceDayUsage.class)).withCachingEnabled());
    }

    /** The key under which a command id is remembered in {@link #APPLIED_REFERENCES}. */
    public static String commandReference(String commandId) {
        return "command:" + commandId;
    }

    /** A sub-account's key in the allowances store. */
    public static String subAccountKey(String workspaceId, String subAccountId) {
        return workspaceId + "/" + subAccountId;
    }

    /** A sub-account's key in the daily usage store; charges without a sub-account are under {@code workspaceId/}. */
    public static String usageKey(String workspaceId, String subAccountId) {
        return workspaceId + "/" + (subAccountId == null ? "" : subAccountId);
    }

    /** A number's key in the numbers store. */
    public static String numberKey(String workspaceId, String number) {
        return workspaceId + "/" + number;
    }

    /** The key of the slot that holds, or will hold, a wallet's entry number {@code sequence} (from 1). */
    public static String ledgerSlotKey(String walletId, long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("Ledger sequences start at 1, got " + sequence);
        }
        return walletId + "#" + (sequence % LEDGER_ENTRIES_KEPT);
    }

    public Set<StoreBuilder<?>> builders() {
        return builders;
    }

}
