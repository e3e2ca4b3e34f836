package io.rebill.cli.demo;

import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.wallet.ledger.WalletIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the pipeline charged, per workspace and sub-account: calls, minutes, You pay / Sub-account
 * pays / Profit and balances, built from the rated charges and balances it wrote. A charge id
 * counts once however often it was written, as the wallet applies it once.
 */
public record UsageReport(long cdrsSent, long charged, Map<String, Long> rejectedByReason,
                          List<WorkspaceSection> workspaces) {

    /** One sub-account's usage; its profit is what it pays less what the workspace pays for it. */
    public record SubAccountLine(String subAccountId, long calls, long billedSeconds, long costMicros,
                                 long priceMicros, boolean rebilled, SortedSet<Integer> multipliersBasisPoints,
                                 long balanceMicros) {
        public long profitMicros() {
            return priceMicros - costMicros;
        }
    }

    public record WorkspaceSection(String workspaceId, String currency, long balanceMicros,
                                   List<SubAccountLine> subAccounts) {
        public long costMicros() {
            return subAccounts.stream().mapToLong(SubAccountLine::costMicros).sum();
        }

        public long priceMicros() {
            return subAccounts.stream().mapToLong(SubAccountLine::priceMicros).sum();
        }

        public long calls() {
            return subAccounts.stream().mapToLong(SubAccountLine::calls).sum();
        }

        public long billedSeconds() {
            return subAccounts.stream().mapToLong(SubAccountLine::billedSeconds).sum();
        }
    }

    public long rejected() {
        return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Calls that cost nothing and were not charged: unanswered, zero seconds. */
    public long notBillable() {
        return cdrsSent - charged - rejected();
    }

    public WorkspaceSection workspace(String workspaceId) {
        return workspaces.stream().filter(w -> w.workspaceId().equals(workspaceId)).findFirst().orElseThrow();
    }

    public static UsageReport build(long cdrsSent, Map<String, List<String>> workspaces,
                                    Collection<RatedCharge> charges, Collection<DeadLetter> rejections,
                                    Collection<WalletBalance> balances, String currency) {
        Map<String, RatedCharge> uniqueCharges = new LinkedHashMap<>();
        charges.stream().filter(c -> workspaces.containsKey(c.getWorkspaceId()))
                .forEach(c -> uniqueCharges.putIfAbsent(c.getChargeId(), c));
        Map<String, WalletBalance> latestBalance = new LinkedHashMap<>();
        balances.forEach(b -> latestBalance.put(b.getWalletId(), b));
        Map<String, Long> rejectedByReason = new TreeMap<>();
        rejections.forEach(r -> rejectedByReason.merge(r.getReasonCode(), 1L, Long::sum));

        List<WorkspaceSection> sections = new ArrayList<>();
        workspaces.forEach((workspaceId, subAccountIds) -> {
            List<SubAccountLine> lines = new ArrayList<>();
            for (String subAccountId : subAccountIds) {
                List<RatedCharge> own = uniqueCharges.values().stream()
                        .filter(c -> c.getWorkspaceId().equals(workspaceId) && c.getSubAccountId().equals(subAccountId))
                        .toList();
                SortedSet<Integer> multipliers = new TreeSet<>();
                own.stream().filter(RatedCharge::getRebilled).forEach(c -> multipliers.add(c.getMultiplierBasisPoints()));
                lines.add(new SubAccountLine(subAccountId, own.size(),
                        own.stream().mapToLong(RatedCharge::getBillableQuantity).sum(),
                        own.stream().mapToLong(RatedCharge::getCostMicros).sum(),
                        own.stream().mapToLong(RatedCharge::getPriceMicros).sum(),
                        !multipliers.isEmpty(), multipliers,
                        balanceOf(latestBalance, WalletIds.subAccount(workspaceId, subAccountId))));
            }
            sections.add(new WorkspaceSection(workspaceId, currency,
                    balanceOf(latestBalance, WalletIds.workspace(workspaceId)), lines));
        });
        return new UsageReport(cdrsSent, uniqueCharges.size(), rejectedByReason, sections);
    }

    private static long balanceOf(Map<String, WalletBalance> balances, String walletId) {
        WalletBalance balance = balances.get(walletId);
        return balance == null ? 0 : balance.getBalanceMicros();
    }
}
