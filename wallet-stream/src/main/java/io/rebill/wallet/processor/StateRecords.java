package io.rebill.wallet.processor;

import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.NumberState;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.schemas.wallet.state.AllowanceState;
import io.rebill.schemas.wallet.state.GrantRecord;
import io.rebill.schemas.wallet.state.PlanTerms;
import io.rebill.schemas.wallet.state.WalletState;
import io.rebill.schemas.wallet.state.WalletAccount;
import io.rebill.wallet.access.AccessDecision;
import io.rebill.wallet.access.AccessState;
import io.rebill.wallet.allowance.Allowance;
import io.rebill.wallet.allowance.Burn;
import io.rebill.wallet.allowance.Grant;
import io.rebill.wallet.allowance.Plan;
import io.rebill.wallet.allowance.RecordedGrant;
import io.rebill.wallet.book.AppliedCharge;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.WalletIds;
import io.rebill.wallet.numbers.NumberStatus;
import io.rebill.wallet.numbers.PhoneNumber;
import io.rebill.wallet.refill.RefillSettings;
import io.rebill.wallet.refill.RefillState;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Translates the wallet's stored records (WalletAccount, AllowanceState, PhoneNumberStatus,
 * AppliedCharge) and its published ones (RefillRequest, AccessStatus) to and from the plain domain
 * the rules work on, so the rules never see a generated class.
 */
public final class StateRecords {

    private StateRecords() {
    }

    /** The wallets, refill states and published access states of a stored workspace. */
    record Workspace(DoubleWallet wallets, Map<String, RefillState> refills, Map<String, AccessState> access) {
    }

    /**
     * The domain view of the entries loaded for a workspace from the wallet-accounts store.
     *
     * @param workspace the workspace wallet's entry, null when it has none
     * @param subAccounts entries by sub-account id: all of the workspace's, or those a record needs
     */
    static Workspace toDomain(String workspaceId, WalletAccount workspace, Map<String, WalletAccount> subAccounts) {
        Map<String, RefillState> refills = new LinkedHashMap<>();
        Map<String, AccessState> access = new LinkedHashMap<>();
        Map<String, Wallet> subAccountWallets = new LinkedHashMap<>();
        Wallet workspaceWallet = null;
        if (workspace != null && workspace.getWallet() != null) {
            workspaceWallet = WalletRecords.toWallet(workspace.getWallet());
            refills.put(WalletIds.workspace(workspaceId), refill(workspace.getWallet()));
        }
        subAccounts.forEach((subAccountId, entry) -> {
            if (entry.getWallet() != null) {
                subAccountWallets.put(subAccountId, WalletRecords.toWallet(entry.getWallet()));
                refills.put(WalletIds.subAccount(workspaceId, subAccountId), refill(entry.getWallet()));
            }
            if (entry.getAccessState() != null) {
                access.put(subAccountId, AccessState.valueOf(entry.getAccessState()));
            }
        });
        refills.values().removeIf(state -> state.equals(RefillState.initial()));
        return new Workspace(new DoubleWallet(workspaceId, workspaceWallet, subAccountWallets), refills, access);
    }

    /**
     * One wallet's entry in the wallet-accounts store.
     *
     * @param wallet null for a sub-account that has an access state and no wallet yet
     * @param access the access state last published; null for the workspace wallet
     */
    static WalletAccount toStored(Wallet wallet, RefillState refill, AccessState access) {
        WalletState state = null;
        if (wallet != null) {
            state = WalletRecords.toState(wallet);
            withRefill(state, refill);
        }
        return new WalletAccount(state, access == null ? null : access.name());
    }

    private static RefillState refill(WalletState state) {
        io.rebill.schemas.wallet.RefillSettings settings = state.getRefillSettings();
        RefillState.PendingRefill pending = state.getPendingRefillId() == null ? null
                : new RefillState.PendingRefill(state.getPendingRefillId(), state.getPendingRefillMicros(),
                state.getPendingRefillSince());
        RefillState.RefillFailure failure = state.getLastRefillFailureAt() == null ? null
                : new RefillState.RefillFailure(state.getLastRefillFailureRequestId(), state.getLastRefillFailureCode(),
                state.getLastRefillDeclineCode(), state.getLastRefillFailureAt());
        return new RefillState(settings == null ? null : refillSettings(settings), pending,
                state.getRefillBackoffUntil(), failure,
                state.getRefillMonth() == null ? null : YearMonth.parse(state.getRefillMonth()),
                state.getRefillMonthMicros(), state.getRefillSequence());
    }

    private static void withRefill(WalletState state, RefillState refill) {
        if (refill == null) {
            return;
        }
        state.setRefillSettings(refill.settings() == null ? null
                : refillSettings(refill.settings(), state.getCurrency()));
        state.setPendingRefillId(refill.pending() == null ? null : refill.pending().requestId());
        state.setPendingRefillMicros(refill.pending() == null ? 0 : refill.pending().amountMicros());
        state.setPendingRefillSince(refill.pending() == null ? null : refill.pending().requestedAt());
        state.setRefillBackoffUntil(refill.backoffUntil());
        state.setLastRefillFailureRequestId(refill.lastFailure() == null ? null : refill.lastFailure().requestId());
        state.setLastRefillFailureCode(refill.lastFailure() == null ? null : refill.lastFailure().code());
        state.setLastRefillDeclineCode(refill.lastFailure() == null ? null : refill.lastFailure().declineCode());
        state.setLastRefillFailureAt(refill.lastFailure() == null ? null : refill.lastFailure().at());
        state.setRefillMonth(refill.month() == null ? null : refill.month().toString());
        state.setRefillMonthMicros(refill.monthRequestedMicros());
        state.setRefillSequence(Math.toIntExact(refill.sequence()));
    }

    /** Throws IllegalArgumentException for settings the refill rules refuse. */
    static RefillSettings refillSettings(io.rebill.schemas.wallet.RefillSettings settings) {
        return new RefillSettings(settings.getEnabled(), settings.getThresholdMicros(),
                settings.getRefillAmountMicros(), settings.getTargetBalanceMicros(), settings.getMonthlyCapMicros(),
                settings.getOfflinePayment());
    }

    private static io.rebill.schemas.wallet.RefillSettings refillSettings(RefillSettings settings, String currency) {
        return io.rebill.schemas.wallet.RefillSettings.newBuilder()
                .setEnabled(settings.enabled())
                .setCurrency(currency)
                .setThresholdMicros(settings.thresholdMicros())
                .setRefillAmountMicros(settings.refillAmountMicros())
                .setTargetBalanceMicros(settings.targetBalanceMicros())
                .setMonthlyCapMicros(settings.monthlyCapMicros())
                .setOfflinePayment(settings.offlinePayment())
                .build();
    }

    public static Allowance toDomain(AllowanceState state) {
        return new Allowance(plan(state.getCurrentPlan()), plan(state.getPendingPlan()), state.getCycleAnchor(),
                state.getCycleStart(), state.getNextCycleStart(), state.getTrialEndsAt(), state.getLicenseExpiresAt(),
                state.getIncludedSeconds(), state.getPlanSeconds(), state.getAddOnSeconds(), state.getLicenseSeconds(),
                state.getUsedSeconds(), state.getCycleTotalSeconds(),
                state.getRecentGrants().stream().map(g -> new RecordedGrant(new Grant(g.getKind(), g.getName(),
                        g.getMinutes(), g.getDays(), g.getRemarks()), g.getGrantedAt())).toList());
    }

    static AllowanceState toStored(Allowance allowance) {
        return AllowanceState.newBuilder()
                .setCurrentPlan(planTerms(allowance.currentPlan()))
                .setPendingPlan(planTerms(allowance.pendingPlan()))
                .setCycleAnchor(allowance.cycleAnchor())
                .setCycleStart(allowance.cycleStart())
                .setNextCycleStart(allowance.nextCycleStart())
                .setTrialEndsAt(allowance.trialEndsAt())
                .setLicenseExpiresAt(allowance.licenseExpiresAt())
                .setIncludedSeconds(allowance.includedSeconds())
                .setPlanSeconds(allowance.planSeconds())
                .setAddOnSeconds(allowance.addOnSeconds())
                .setLicenseSeconds(allowance.licenseSeconds())
                .setUsedSeconds(allowance.usedSeconds())
                .setCycleTotalSeconds(allowance.cycleTotalSeconds())
                .setRecentGrants(allowance.recentGrants().stream().map(g -> GrantRecord.newBuilder()
                        .setKind(g.grant().kind()).setName(g.grant().name()).setMinutes(g.grant().minutes())
                        .setDays(g.grant().days()).setRemarks(g.grant().remarks()).setGrantedAt(g.grantedAt())
                        .build()).toList())
                .build();
    }

    static Plan plan(io.rebill.schemas.wallet.Plan plan) {
        return new Plan(plan.getPlanId(), plan.getVersion(), plan.getName(), plan.getIncludedMinutes(),
                plan.getPriceMicros(), plan.getCurrency());
    }

    private static Plan plan(PlanTerms terms) {
        return terms == null ? null : new Plan(terms.getPlanId(), terms.getVersion(), terms.getName(),
                terms.getIncludedMinutes(), terms.getPriceMicros(), terms.getCurrency());
    }

    private static PlanTerms planTerms(Plan plan) {
        return plan == null ? null : new PlanTerms(plan.planId(), plan.version(), plan.name(), plan.includedMinutes(),
                plan.priceMicros(), plan.currency());
    }

    static PhoneNumber toDomain(PhoneNumberStatus status) {
        return new PhoneNumber(status.getNumber(), status.getWorkspaceId(), status.getSubAccountId(),
                NumberStatus.valueOf(status.getState().name()), status.getAutoPay(), status.getMonthlyCostMicros(),
                status.getCurrency(), status.getPurchasedAt(), status.getRenewsAt(), status.getHeldSince(),
                status.getReleasedAt(), status.getReason());
    }

    static PhoneNumberStatus toStored(PhoneNumber number, Instant changedAt) {
        return PhoneNumberStatus.newBuilder()
                .setNumber(number.number())
                .setWorkspaceId(number.workspaceId())
                .setSubAccountId(number.subAccountId())
                .setState(NumberState.valueOf(number.status().name()))
                .setAutoPay(number.autoPay())
                .setMonthlyCostMicros(number.monthlyCostMicros())
                .setCurrency(number.currency())
                .setPurchasedAt(number.purchasedAt())
                .setRenewsAt(number.renewsAt())
                .setHeldSince(number.heldSince())
                .setReleasedAt(number.releasedAt())
                .setReason(number.releaseReason())
                .setChangedAt(changedAt)
                .build();
    }

    static AppliedCharge toDomain(io.rebill.schemas.wallet.state.AppliedCharge stored) {
        return new AppliedCharge(stored.getWorkspaceDebitMicros(), stored.getSubAccountDebitMicros(),
                new Burn(stored.getPlanSeconds(), stored.getAddOnSeconds(), stored.getLicenseSeconds(), 0),
                stored.getBurnCycleStart());
    }

    static io.rebill.schemas.wallet.state.AppliedCharge toStored(AppliedCharge applied, Instant appliedAt) {
        return io.rebill.schemas.wallet.state.AppliedCharge.newBuilder()
                .setAppliedAt(appliedAt)
                .setWorkspaceDebitMicros(applied.workspaceDebitMicros())
                .setSubAccountDebitMicros(applied.subAccountDebitMicros())
                .setPlanSeconds(applied.burn().planSeconds())
                .setAddOnSeconds(applied.burn().addOnSeconds())
                .setLicenseSeconds(applied.burn().licenseSeconds())
                .setBurnCycleStart(applied.burnCycleStart())
                .build();
    }

    static RefillRequest toRecord(io.rebill.wallet.refill.RefillRequest request, String workspaceId, String currency) {
        String walletId = request.walletId();
        String subAccountId = walletId.equals(workspaceId) ? null : walletId.substring(workspaceId.length() + 1);
        return RefillRequest.newBuilder()
                .setRequestId(request.requestId())
                .setWalletId(walletId)
                .setWorkspaceId(workspaceId)
                .setSubAccountId(subAccountId)
                .setAmountMicros(request.amountMicros())
                .setCurrency(currency)
                .setBalanceMicros(request.balanceMicros())
                .setThresholdMicros(request.thresholdMicros())
                .setOfflinePayment(request.offlinePayment())
                .setRequestedAt(request.requestedAt())
                .build();
    }

    static AccessStatus toRecord(String workspaceId, String subAccountId, AccessDecision decision, Instant at) {
        return AccessStatus.newBuilder()
                .setWorkspaceId(workspaceId)
                .setSubAccountId(subAccountId)
                .setState(io.rebill.schemas.wallet.AccessState.valueOf(decision.state().name()))
                .setReason(decision.reason())
                .setChangedAt(at)
                .build();
    }
}
