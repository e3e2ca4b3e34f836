package io.rebill.wallet.http;

import io.rebill.money.Micros;
import io.rebill.wallet.access.AccessPolicy;
import io.rebill.wallet.query.AccessView;
import io.rebill.wallet.query.LedgerPage;
import io.rebill.wallet.query.PeriodTotals;
import io.rebill.wallet.query.SubAccountView;
import io.rebill.wallet.query.UsageSummary;
import io.rebill.wallet.query.WalletReadModel;
import io.rebill.wallet.query.WalletView;
import io.rebill.wallet.query.WorkspaceView;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agency {@value #WS} as the dashboard's browser test sees it through the API: a workspace
 * wallet and four sub-accounts, one in each state the page tells apart.
 *
 * <ul>
 *   <li>{@code acme-dental}: re-billed, allowed, on a plan with 26.06% of its minutes used;</li>
 *   <li>{@code acme-gym}: not re-billed (no wallet of its own), allowed;</li>
 *   <li>{@code acme-law}: re-billed, blocked for want of funds, its trial's minutes all used;</li>
 *   <li>{@code acme-spa}: re-billed, on hold after a failed refill, on a trial of no minutes (all billed).</li>
 * </ul>
 */
final class DashboardFixture implements WalletReadModel {

    static final String WS = "acme-agency";
    /** A workspace whose stores fail: the API answers 500. */
    static final String BROKEN = "broken-agency";
    static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    static final LocalDate PERIOD_FROM = LocalDate.of(2026, 11, 1);
    static final LocalDate PERIOD_TO = LocalDate.of(2026, 11, 22);

    static final int LAW_LEDGER_ENTRIES = 23;

    final WalletView workspaceWallet = wallet(null, 1_263_271_743L);
    /** Sub-account id to its view, in the API's (sorted) order. */
    final Map<String, SubAccountView> subAccounts = new LinkedHashMap<>();
    final Map<String, List<LedgerPage.Line>> ledgers = new LinkedHashMap<>();

    DashboardFixture() {
        subAccounts.put("acme-dental", new SubAccountView(WS, "acme-dental", wallet("acme-dental", 205_569_836L),
                access("acme-dental", "ALLOWED", AccessPolicy.REASON_ALLOWED),
                new UsageSummary("Pro", "pro", 2, false, "1000.00", "0.00", "0.00", "1000.00", "260.60", "739.40",
                        "26.06", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), null,
                        null, List.of()),
                true, period(1872, 518_504_784L, 544_430_164L)));
        subAccounts.put("acme-gym", new SubAccountView(WS, "acme-gym", null,
                access("acme-gym", "ALLOWED", AccessPolicy.REASON_ALLOWED), null,
                false, period(1181, 353_027_116L, 0)));
        subAccounts.put("acme-law", new SubAccountView(WS, "acme-law", wallet("acme-law", -1_250_000L),
                access("acme-law", "BLOCKED_SUBACCOUNT_FUNDS", AccessPolicy.REASON_ADD_FUNDS),
                new UsageSummary("trial", null, null, true, "60.00", "0.00", "0.00", "60.00", "60.00", "0.00",
                        "100.00", Instant.parse("2026-11-15T00:00:00Z"), null, Instant.parse("2026-11-29T00:00:00Z"),
                        null, List.of()),
                true, period(1496, 365_196_357L, 1_007_935_980L)));
        subAccounts.put("acme-spa", new SubAccountView(WS, "acme-spa", wallet("acme-spa", 0),
                access("acme-spa", "ON_HOLD", AccessPolicy.REASON_ON_HOLD),
                new UsageSummary("trial", null, null, true, "0.00", "0.00", "0.00", "0.00", "12.50", "0.00", "0.00",
                        Instant.parse("2026-11-20T00:00:00Z"), null, Instant.parse("2026-12-04T00:00:00Z"), null,
                        List.of()),
                true, period(12, 12_000_001L, 24_000_002L)));

        // Newest last here; pages are served newest first.
        ledgers.put(WS, List.of(
                line(WS, 1, "TOP_UP", 1_000_000_000L, 1_000_000_000L, "demo-opening:acme-agency",
                        "Top-up, payment pi_opening", "2026-11-01T09:00:00Z"),
                line(WS, 2, "USAGE", -236_654_514L, 763_345_486L, "cdr-000123",
                        "VOICE call to +16046923378", "2026-11-10T16:37:30Z"),
                line(WS, 3, "TOP_UP", 500_000_000L, 1_263_345_486L, "refill-paid:refill:acme-agency:2",
                        "Top-up, payment pi_3Refill", "2026-11-15T08:12:00Z"),
                line(WS, 4, "USAGE", -73_743L, 1_263_271_743L, "cdr-009871",
                        "VOICE_AI call to +14155550100", "2026-11-22T07:59:10Z")));
        ledgers.put(WS + "/acme-dental", List.of(
                line(WS + "/acme-dental", 1, "TOP_UP", 250_000_000L, 250_000_000L, "offline-payment:acme-dental:inv-7",
                        "Top-up, payment inv-7", "2026-11-02T10:00:00Z"),
                line(WS + "/acme-dental", 2, "USAGE", -44_430_164L, 205_569_836L, "cdr-000777",
                        "VOICE call to +12125550123", "2026-11-21T12:00:00Z")));
        // More entries than one page of the dashboard's ledger (20): 10.000000 in, then 22 calls of 0.500000.
        List<LedgerPage.Line> law = new ArrayList<>();
        law.add(line(WS + "/acme-law", 1, "TOP_UP", 10_000_000L, 10_000_000L, "offline-payment:acme-law:inv-1",
                "Top-up, payment inv-1", "2026-11-15T09:00:00Z"));
        for (int seq = 2; seq <= LAW_LEDGER_ENTRIES; seq++) {
            law.add(line(WS + "/acme-law", seq, "USAGE", -500_000L, 10_000_000L - 500_000L * (seq - 1), "cdr-law-" + seq,
                    "VOICE call " + seq, "2026-11-2" + (seq % 2) + "T10:" + (10 + seq) + ":00Z"));
        }
        ledgers.put(WS + "/acme-law", law);
    }

    @Override
    public Optional<WorkspaceView> workspace(String workspaceId) {
        if (BROKEN.equals(workspaceId)) {
            throw new IllegalStateException("the stores of " + BROKEN + " fail, as the test wants");
        }
        if (!WS.equals(workspaceId)) {
            return Optional.empty();
        }
        List<WorkspaceView.SubAccountSummary> summaries = new ArrayList<>();
        subAccounts.values().forEach(view -> summaries.add(new WorkspaceView.SubAccountSummary(view.subAccountId(),
                view.wallet(), view.access().state())));
        return Optional.of(new WorkspaceView(WS, workspaceWallet, summaries));
    }

    @Override
    public Optional<SubAccountView> subAccount(String workspaceId, String subAccountId) {
        return WS.equals(workspaceId) ? Optional.ofNullable(subAccounts.get(subAccountId)) : Optional.empty();
    }

    @Override
    public Optional<LedgerPage> ledger(String walletId, int limit, Long beforeSequence) {
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
        return subAccount(workspaceId, subAccountId).map(SubAccountView::usage);
    }

    @Override
    public Optional<AccessView> access(String subAccountId) {
        return Optional.ofNullable(subAccounts.get(subAccountId)).map(SubAccountView::access);
    }

    private static WalletView wallet(String subAccountId, long micros) {
        return new WalletView(subAccountId == null ? WS : WS + "/" + subAccountId, WS, subAccountId,
                subAccountId == null ? "WORKSPACE" : "SUB_ACCOUNT", "USD", micros, Micros.format(micros),
                micros > 0 ? "ACTIVE" : "EMPTY", 4, T0);
    }

    private static AccessView access(String subAccountId, String state, String reason) {
        return new AccessView(WS, subAccountId, state, reason, T0);
    }

    private static PeriodTotals period(long charges, long cost, long price) {
        return new PeriodTotals("2026-11", PERIOD_FROM, PERIOD_TO, true, "USD", charges, cost, Micros.format(cost),
                price, Micros.format(price), price - cost, Micros.format(price - cost));
    }

    private static LedgerPage.Line line(String walletId, long sequence, String kind, long amount, long balanceAfter,
                                        String reference, String description, String occurredAt) {
        Instant at = Instant.parse(occurredAt);
        return new LedgerPage.Line(sequence, walletId + "#" + sequence, kind, amount, Micros.format(amount),
                balanceAfter, Micros.format(balanceAfter), "USD", reference, description, at, at.plusMillis(120));
    }
}
