package io.rebill.wallet.query;

import io.rebill.money.Micros;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.state.AllowanceState;
import io.rebill.schemas.wallet.state.RecentLedgerEntry;
import io.rebill.schemas.wallet.state.WalletAccount;
import io.rebill.schemas.wallet.state.WalletState;
import io.rebill.schemas.wallet.state.WorkspaceDayUsage;
import io.rebill.wallet.WalletTopology;
import io.rebill.wallet.allowance.AllowanceBook;
import io.rebill.wallet.allowance.UsageView;
import io.rebill.wallet.ledger.WalletIds;
import io.rebill.streams.StoreValues;
import io.rebill.wallet.processor.StateRecords;
import io.rebill.wallet.processor.WalletProcessor;
import io.rebill.wallet.processor.WalletStores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The {@link WalletReadModel} of one running wallet-stream instance: its local stores (the
 * workspaces whose partitions it owns) and the global access store. The HTTP layer routes each
 * workspace's questions here on the instance that owns it.
 */
public final class StoreReadModel implements WalletReadModel {

    private final KafkaStreams streams;
    private final Clock clock;
    private final Duration dailyUsageRetention;

    /**
     * @param dailyUsageRetention the daily usage aggregate's retention
     *     ({@code rebill.wallet.usage.daily.retention.ms}): how far back period totals can reach
     */
    public StoreReadModel(KafkaStreams streams, Clock clock, Duration dailyUsageRetention) {
        this.streams = streams;
        this.clock = clock;
        this.dailyUsageRetention = dailyUsageRetention;
    }

    @Override
    public Optional<WorkspaceView> workspace(String workspaceId) {
        ReadOnlyKeyValueStore<String, WalletAccount> accounts = store(WalletStores.WALLETS);
        WalletAccount own = accounts.get(WalletIds.workspace(workspaceId));
        List<WorkspaceView.SubAccountSummary> summaries = new ArrayList<>();
        String prefix = WalletIds.subAccount(workspaceId, "");
        try (KeyValueIterator<String, WalletAccount> entries = accounts.prefixScan(prefix, Serdes.String().serializer())) {
            while (entries.hasNext()) {
                KeyValue<String, WalletAccount> entry = entries.next();
                String subAccountId = entry.key.substring(prefix.length());
                WalletState wallet = entry.value.getWallet();
                summaries.add(new WorkspaceView.SubAccountSummary(subAccountId,
                        wallet == null ? null : view(workspaceId, subAccountId, wallet), entry.value.getAccessState()));
            }
        }
        if (own == null && summaries.isEmpty()) {
            return Optional.empty();
        }
        WalletView ownView = own == null || own.getWallet() == null ? null : view(workspaceId, null, own.getWallet());
        return Optional.of(new WorkspaceView(workspaceId, ownView, summaries));
    }

    @Override
    public Optional<SubAccountView> subAccount(String workspaceId, String subAccountId) {
        WalletState wallet = walletState(WalletIds.subAccount(workspaceId, subAccountId));
        Optional<AccessView> access = access(subAccountId).filter(a -> a.workspaceId().equals(workspaceId));
        Optional<UsageSummary> usage = usage(workspaceId, subAccountId);
        if (wallet == null && access.isEmpty() && usage.isEmpty()) {
            return Optional.empty();
        }
        ReadOnlyWindowStore<String, WorkspaceDayUsage> dailyUsage = streams.store(StoreQueryParameters.fromNameAndType(
                WalletStores.DAILY_USAGE, QueryableStoreTypes.<String, WorkspaceDayUsage>windowStore()));
        return Optional.of(new SubAccountView(workspaceId, subAccountId,
                wallet == null ? null : view(workspaceId, subAccountId, wallet), access.orElse(null),
                usage.orElse(null), rebilled(this.<Object>store(WalletProcessor.SETTINGS_STORE), workspaceId, subAccountId),
                PeriodTotals.fromStore(dailyUsage, workspaceId, subAccountId, clock.instant(), dailyUsageRetention)));
    }

    /**
     * Whether a sub-account is re-billed, as the wallet rules decide it: its own settings, else its
     * workspace's defaults; null when neither has any.
     *
     * @param settings the global table of {@code metering.rebilling-settings}
     */
    public static Boolean rebilled(ReadOnlyKeyValueStore<String, ?> settings, String workspaceId, String subAccountId) {
        RebillingSettings own = StoreValues.unwrap(settings.get(RebillingSettingsKey.forSubAccount(workspaceId,
                subAccountId)), RebillingSettings.class);
        RebillingSettings found = own != null ? own : StoreValues.unwrap(settings.get(
                RebillingSettingsKey.forWorkspace(workspaceId)), RebillingSettings.class);
        return found == null ? null : found.getRebillingEnabled();
    }

    @Override
    public Optional<LedgerPage> ledger(String walletId, int limit, Long beforeSequence) {
        WalletState wallet = walletState(walletId);
        return wallet == null ? Optional.empty() : Optional.of(ledgerPage(this.store(WalletStores.LEDGER), walletId,
                wallet.getEntryCount(), limit, beforeSequence));
    }

    /**
     * Up to {@code limit} of a wallet's latest entries, newest first, from {@code beforeSequence - 1}
     * (or its newest, {@code entryCount}) down to the oldest entry its slots still hold.
     */
    public static LedgerPage ledgerPage(ReadOnlyKeyValueStore<String, RecentLedgerEntry> slots, String walletId, long entryCount,
                                        int limit, Long beforeSequence) {
        long newest = beforeSequence == null ? entryCount : Math.min(beforeSequence - 1, entryCount);
        List<LedgerPage.Line> lines = new ArrayList<>();
        Long nextBefore = null;
        for (long sequence = newest; sequence >= 1; sequence--) {
            RecentLedgerEntry slot = slots.get(WalletStores.ledgerSlotKey(walletId, sequence));
            // A slot holding another sequence was taken by a newer entry: this one is no longer kept.
            if (slot == null || slot.getSequence() != sequence) {
                break;
            }
            if (lines.size() == limit) {
                nextBefore = lines.get(lines.size() - 1).sequence();
                break;
            }
            lines.add(line(sequence, slot.getEntry()));
        }
        return new LedgerPage(walletId, lines, nextBefore);
    }

    @Override
    public Optional<UsageSummary> usage(String workspaceId, String subAccountId) {
        AllowanceState stored = this.<AllowanceState>store(WalletStores.ALLOWANCES)
                .get(WalletStores.subAccountKey(workspaceId, subAccountId));
        if (stored == null) {
            return Optional.empty();
        }
        UsageView view = AllowanceBook.view(StateRecords.toDomain(stored), clock.instant());
        return Optional.of(new UsageSummary(view.planName(), view.planId(), view.planVersion(),
                UsageView.TRIAL.equals(view.planName()), view.includedMinutes(), view.addOnMinutes(),
                view.licensedMinutes(), view.totalMinutes(), view.usedMinutes(), view.remainingMinutes(),
                view.percentUsed(), view.cycleStart(), view.nextRenewal(), view.expiresAt(),
                view.pendingPlan() == null ? null : view.pendingPlan().name() + " v" + view.pendingPlan().version(),
                view.recentGrants().stream().map(g -> new UsageSummary.Grant(g.grant().kind().name(), g.grant().name(),
                        g.grant().minutes(), g.grant().days(), g.grant().remarks(), g.grantedAt())).toList()));
    }

    @Override
    public Optional<AccessView> access(String subAccountId) {
        AccessStatus status = this.<AccessStatus>store(WalletTopology.ACCESS_STORE).get(subAccountId);
        return Optional.ofNullable(status).map(s -> new AccessView(s.getWorkspaceId(), s.getSubAccountId(),
                s.getState().name(), s.getReason(), s.getChangedAt()));
    }

    private WalletState walletState(String walletId) {
        WalletAccount entry = this.<WalletAccount>store(WalletStores.WALLETS).get(walletId);
        return entry == null ? null : entry.getWallet();
    }

    private static WalletView view(String workspaceId, String subAccountId, WalletState wallet) {
        String walletId = subAccountId == null ? WalletIds.workspace(workspaceId)
                : WalletIds.subAccount(workspaceId, subAccountId);
        return new WalletView(walletId, workspaceId, subAccountId, subAccountId == null ? "WORKSPACE" : "SUB_ACCOUNT",
                wallet.getCurrency(), wallet.getBalanceMicros(), Micros.format(wallet.getBalanceMicros()),
                wallet.getBalanceMicros() > 0 ? "ACTIVE" : "EMPTY", wallet.getEntryCount(), wallet.getUpdatedAt());
    }

    private static LedgerPage.Line line(long sequence, LedgerEntry entry) {
        return new LedgerPage.Line(sequence, entry.getEntryId(), entry.getKind().name(), entry.getAmountMicros(),
                Micros.format(entry.getAmountMicros()), entry.getBalanceAfterMicros(),
                Micros.format(entry.getBalanceAfterMicros()), entry.getCurrency(), entry.getReference(),
                entry.getDescription(), entry.getOccurredAt(), entry.getRecordedAt());
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }
}
