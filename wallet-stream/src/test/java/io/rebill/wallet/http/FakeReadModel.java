package io.rebill.wallet.http;

import io.rebill.wallet.query.AccessView;
import io.rebill.wallet.query.LedgerPage;
import io.rebill.wallet.query.SubAccountView;
import io.rebill.wallet.query.UsageSummary;
import io.rebill.wallet.query.WalletReadModel;
import io.rebill.wallet.query.WalletView;
import io.rebill.wallet.query.WorkspaceView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory {@link WalletReadModel} standing in for one instance's stores. {@link #workspace}
 * seeds a workspace the way the real stores would hold it: its wallet, one re-billed sub-account
 * with a ledger and usage, and that sub-account's access status.
 */
final class FakeReadModel implements WalletReadModel {

    static final Instant T0 = Instant.parse("2026-11-01T10:15:30Z");

    private final Map<String, WorkspaceView> workspaces = new ConcurrentHashMap<>();
    private final Map<String, SubAccountView> subAccounts = new ConcurrentHashMap<>();
    private final Map<String, UsageSummary> usage = new ConcurrentHashMap<>();
    private final Map<String, List<LedgerPage.Line>> ledgers = new ConcurrentHashMap<>();
    private final Map<String, AccessView> access = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Supplier<RuntimeException> failure;

    /** Seeds workspace {@code ws} with sub-account {@code sa}, {@code entries} ledger entries on each wallet. */
    FakeReadModel workspace(String ws, String sa, int entries) {
        WalletView workspaceWallet = wallet(ws, ws, null, 1_263_271_743L);
        WalletView subAccountWallet = wallet(ws + "/" + sa, ws, sa, 205_569_836L);
        AccessView allowed = new AccessView(ws, sa, "ALLOWED", "Active", T0);
        UsageSummary minutes = new UsageSummary("trial", null, null, true, "100.00", "0.00", "0.00", "100.00",
                "26.06", "73.94", "26.06", T0, null, T0.plusSeconds(14 * 86_400), null,
                List.of(new UsageSummary.Grant("ADD_ON", "Boost 50", 50, 0, "goodwill", T0)));
        workspaces.put(ws, new WorkspaceView(ws, workspaceWallet,
                List.of(new WorkspaceView.SubAccountSummary(sa, subAccountWallet, "ALLOWED"))));
        subAccounts.put(ws + "/" + sa, new SubAccountView(ws, sa, subAccountWallet, allowed, minutes));
        usage.put(ws + "/" + sa, minutes);
        ledgers.put(ws, lines(ws, entries));
        ledgers.put(ws + "/" + sa, lines(ws + "/" + sa, entries));
        access.put(sa, allowed);
        return this;
    }

    FakeReadModel access(AccessView view) {
        access.put(view.subAccountId(), view);
        return this;
    }

    /** Makes every later call throw what {@code failure} supplies. */
    void failWith(Supplier<RuntimeException> failure) {
        this.failure = failure;
    }

    /** How many questions this instance's stores were asked. */
    int calls() {
        return calls.get();
    }

    @Override
    public Optional<WorkspaceView> workspace(String workspaceId) {
        ask();
        return Optional.ofNullable(workspaces.get(workspaceId));
    }

    @Override
    public Optional<SubAccountView> subAccount(String workspaceId, String subAccountId) {
        ask();
        return Optional.ofNullable(subAccounts.get(workspaceId + "/" + subAccountId));
    }

    @Override
    public Optional<LedgerPage> ledger(String walletId, int limit, Long beforeSequence) {
        ask();
        List<LedgerPage.Line> all = ledgers.get(walletId);
        if (all == null) {
            return Optional.empty();
        }
        List<LedgerPage.Line> older = all.stream()
                .filter(line -> beforeSequence == null || line.sequence() < beforeSequence)
                .sorted(Comparator.comparingLong(LedgerPage.Line::sequence).reversed())
                .toList();
        List<LedgerPage.Line> page = older.subList(0, Math.min(limit, older.size()));
        Long nextBefore = older.size() > limit ? page.get(page.size() - 1).sequence() : null;
        return Optional.of(new LedgerPage(walletId, page, nextBefore));
    }

    @Override
    public Optional<UsageSummary> usage(String workspaceId, String subAccountId) {
        ask();
        return Optional.ofNullable(usage.get(workspaceId + "/" + subAccountId));
    }

    @Override
    public Optional<AccessView> access(String subAccountId) {
        ask();
        return Optional.ofNullable(access.get(subAccountId));
    }

    private void ask() {
        calls.incrementAndGet();
        Supplier<RuntimeException> f = failure;
        if (f != null) {
            throw f.get();
        }
    }

    private static WalletView wallet(String walletId, String ws, String sa, long micros) {
        return new WalletView(walletId, ws, sa, sa == null ? "WORKSPACE" : "SUB_ACCOUNT", "USD", micros,
                BigDecimal.valueOf(micros, 6).toPlainString(), "ACTIVE", 3, T0);
    }

    private static List<LedgerPage.Line> lines(String walletId, int entries) {
        List<LedgerPage.Line> lines = new ArrayList<>();
        for (int seq = 1; seq <= entries; seq++) {
            lines.add(new LedgerPage.Line(seq, walletId + "#" + seq, "CHARGE", -1_000_000L, "-1.000000",
                    -1_000_000L * seq, BigDecimal.valueOf(-1_000_000L * seq, 6).toPlainString(), "USD",
                    "charge-" + seq, null, T0.plusSeconds(seq), T0.plusSeconds(seq)));
        }
        return lines;
    }
}
