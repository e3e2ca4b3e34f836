package io.rebill.wallet.book;

import io.rebill.rebilling.RebillingException;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.wallet.access.AccessDecision;
import io.rebill.wallet.access.AccessPolicy;
import io.rebill.wallet.access.AccessState;
import io.rebill.wallet.allowance.Allowance;
import io.rebill.wallet.allowance.AllowanceBook;
import io.rebill.wallet.allowance.Burn;
import io.rebill.wallet.allowance.BurnResult;
import io.rebill.wallet.allowance.Plan;
import io.rebill.wallet.ledger.Charge;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.LedgerCommand;
import io.rebill.wallet.ledger.LedgerResult;
import io.rebill.wallet.ledger.Posting;
import io.rebill.wallet.ledger.RejectionCode;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.WalletLedger;
import io.rebill.wallet.ledger.WalletRef;
import io.rebill.wallet.numbers.NumberLifecycle;
import io.rebill.wallet.numbers.NumberStatus;
import io.rebill.wallet.numbers.PhoneNumber;
import io.rebill.wallet.numbers.RenewalStep;
import io.rebill.wallet.refill.RefillPolicy;
import io.rebill.wallet.refill.RefillRequest;
import io.rebill.wallet.refill.RefillState;
import io.rebill.wallet.usage.DailyUsage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything that happens to one workspace's money when a charge or command arrives, or when the
 * clock says a number renewal or a refill retry is due: the ledger posts, allowances burn, refills
 * are requested, access is decided and numbers renew, hold or are released. Pure: wallet-stream's
 * processor loads a {@link WorkspaceState} from its stores, asks this class, and stores and
 * publishes the {@link Outcome}. A rejection changes nothing.
 */
public final class WorkspaceBook {

    /** The add-on name a phone number's fixed resale price is set under. */
    public static final String PHONE_NUMBER_ADD_ON = "phone-number";

    private final WalletRules rules;
    private final ReferenceData reference;

    public WorkspaceBook(WalletRules rules, ReferenceData reference) {
        this.rules = rules;
        this.reference = reference;
    }

    /** A rated charge from metering-stream, already checked not to have been applied before. */
    public Outcome applyCharge(WorkspaceState state, ChargeInput input, Instant now) {
        Charge charge = input.charge();
        Work work = new Work(state, now);
        if (!charge.billable()) {
            work.settled = Optional.of(settled(input, charge, 0));
            work.appliedCharge = Optional.of(new AppliedCharge(0, 0, Burn.NONE, null));
            work.considerAccess(charge.subAccountId());
            return work.result();
        }
        Charge toPost = charge;
        Burn burn = Burn.NONE;
        Instant burnCycleStart = null;
        String subAccountId = charge.subAccountId();
        try {
            if (charge.reversal()) {
                Optional<AppliedCharge> original = input.reversedOriginal();
                if (original.isPresent()) {
                    AppliedCharge debited = original.get();
                    // Credit back what the original really debited: only its overage, where allowances covered it.
                    toPost = new Charge(charge.chargeId(), charge.workspaceId(), subAccountId, charge.currency(),
                            -debited.workspaceDebitMicros(), -debited.subAccountDebitMicros(), charge.rebilled(),
                            charge.occurredAt(), charge.description(), true, Charge.Type.REVERSAL);
                    if (subAccountId != null && hasSeconds(debited.burn())) {
                        work.restore(subAccountId, debited.burn(), debited.burnCycleStart());
                    }
                }
            } else if (burnsMinutes(input) && !isBlank(subAccountId)) {
                BurnResult result = work.burn(subAccountId, input.billableQuantity());
                burn = result.burn();
                burnCycleStart = result.cycleStart();
                if (charge.rebilled()) {
                    toPost = charge.withPrice(AllowanceBook.overagePriceMicros(charge.priceMicros(),
                            input.billableQuantity(), burn.overageSeconds()));
                }
            }
        } catch (IllegalArgumentException e) {
            return new Outcome.Rejected(RejectionCode.INVALID_CHARGE.name(), "Charge " + charge.chargeId() + ": "
                    + e.getMessage());
        }
        LedgerResult result = WalletLedger.applyCharge(work.wallets, toPost, now);
        if (result instanceof LedgerResult.Rejected rejected) {
            return new Outcome.Rejected(rejected.code().name(), rejected.reason());
        }
        work.post((LedgerResult.Applied) result);
        work.considerAccess(subAccountId);
        work.afterMoneyMoved();
        long subAccountDebit = toPost.rebilled() ? toPost.priceMicros() : 0;
        work.settled = Optional.of(settled(input, toPost, subAccountDebit));
        work.appliedCharge = Optional.of(new AppliedCharge(toPost.costMicros(), subAccountDebit, burn, burnCycleStart));
        return work.result();
    }

    /** A command from billing-sink, an operator or the platform, already checked not to have been applied. */
    public Outcome applyCommand(WorkspaceState state, LedgerCommand command, Instant now) {
        Work work = new Work(state, now);
        try {
            if (command.movesMoney()) {
                return applyMoney(work, command);
            }
            LedgerCommand.Payload payload = command.payload();
            if (payload instanceof LedgerCommand.RefillSettingsChange change) {
                return changeRefillSettings(work, command, change);
            }
            if (payload instanceof LedgerCommand.RefillFailure failure) {
                return refillFailed(work, command, failure);
            }
            if (payload instanceof LedgerCommand.Subscribe subscribe) {
                return subscribe(work, command, subscribe);
            }
            if (payload instanceof LedgerCommand.GrantAllowance grant) {
                return grantAllowance(work, command, grant);
            }
            if (payload instanceof LedgerCommand.NumberAction action) {
                return numberAction(work, command, action);
            }
            String type = payload instanceof LedgerCommand.Unsupported unsupported
                    ? unsupported.payloadType() : payload.getClass().getSimpleName();
            return new Outcome.Rejected(RejectionCode.UNSUPPORTED_COMMAND.name(), "Command " + command.commandId()
                    + ": " + type + " commands are not handled by wallet-stream");
        } catch (IllegalArgumentException e) {
            return new Outcome.Rejected(RejectionCode.INVALID_COMMAND.name(), "Command " + command.commandId() + ": "
                    + e.getMessage());
        } catch (RebillingException e) {
            return new Outcome.Rejected(e.problem().name(), "Command " + command.commandId() + ": " + e.getMessage());
        }
    }

    /** Renews, holds or releases every number of the workspace that is due at {@code now}. */
    public Outcome renewNumbers(WorkspaceState state, Instant now) {
        Work work = new Work(state, now);
        for (PhoneNumber number : List.copyOf(work.numbers.values())) {
            if (NumberLifecycle.isDue(number, now)) {
                work.renew(number);
            }
        }
        work.afterMoneyMoved();
        return work.result();
    }

    /**
     * Decides every sub-account's access again and publishes what changed. A re-billing settings
     * change moves no money, so wallet-stream runs this on its punctuation to apply it to
     * sub-accounts that have no traffic of their own. Needs every sub-account loaded.
     */
    public Outcome reviewAccess(WorkspaceState state, Instant now) {
        if (!state.allSubAccounts()) {
            throw new IllegalArgumentException("Reviewing access needs every sub-account of workspace "
                    + state.wallets().workspaceId());
        }
        Work work = new Work(state, now);
        work.publishedAccess.keySet().forEach(work::considerAccess);
        work.wallets.subAccounts().keySet().forEach(work::considerAccess);
        work.decideAccess();
        return work.result();
    }

    /** Asks again for refills whose back-off has ended, for wallets still below their threshold. */
    public Outcome retryRefills(WorkspaceState state, Instant now) {
        Work work = new Work(state, now);
        for (String walletId : List.copyOf(work.refills.keySet())) {
            work.requestRefillIfNeeded(walletId);
        }
        return work.result();
    }

    private Outcome applyMoney(Work work, LedgerCommand command) {
        LedgerResult result = WalletLedger.applyCommand(work.wallets, command, work.now);
        if (result instanceof LedgerResult.Rejected rejected) {
            return new Outcome.Rejected(rejected.code().name(), rejected.reason());
        }
        work.post((LedgerResult.Applied) result);
        String walletId = command.target().walletId();
        RefillState refill = work.refill(walletId);
        if (command.payload() instanceof LedgerCommand.TopUp topUp && topUp.refillRequestId() != null) {
            refill = RefillPolicy.onSucceeded(refill, topUp.refillRequestId(), topUp.amountMicros(), work.now);
        }
        if (credit(command.payload()) > 0) {
            refill = RefillPolicy.onToppedUp(refill);
        }
        work.putRefill(walletId, refill);
        work.considerAccess(command.subAccountId());
        work.afterMoneyMoved();
        return work.result();
    }

    private Outcome changeRefillSettings(Work work, LedgerCommand command, LedgerCommand.RefillSettingsChange change) {
        WalletRef target = command.target();
        Optional<Wallet> wallet = work.wallets.wallet(target);
        if (wallet.isPresent() && !wallet.get().currency().equals(change.currency())) {
            return new Outcome.Rejected(RejectionCode.CURRENCY_MISMATCH.name(), "Command " + command.commandId()
                    + ": refill settings in " + change.currency() + " for wallet " + target.walletId() + " in "
                    + wallet.get().currency());
        }
        if (wallet.isEmpty()) {
            // The settings are kept with the wallet, so it is opened (empty) in their currency.
            work.wallets = work.wallets.with(target, Wallet.open(change.currency(), work.now));
        }
        work.putRefill(target.walletId(), RefillPolicy.onSettings(work.refill(target.walletId()), change.settings()));
        work.requestRefillIfNeeded(target.walletId());
        work.considerAccess(command.subAccountId());
        return work.result();
    }

    private Outcome refillFailed(Work work, LedgerCommand command, LedgerCommand.RefillFailure failure) {
        String walletId = command.target().walletId();
        work.putRefill(walletId, RefillPolicy.onFailed(work.refill(walletId), failure.refillRequestId(),
                failure.failureCode(), failure.declineCode(), work.now, rules.refillBackoff()));
        work.considerAccess(command.subAccountId());
        work.decideAccess();
        return work.result();
    }

    private Outcome subscribe(Work work, LedgerCommand command, LedgerCommand.Subscribe subscribe) {
        String subAccountId = requireSubAccount(command);
        Optional<Plan> plan = reference.plan(subscribe.planId(), subscribe.planVersion());
        if (plan.isEmpty()) {
            return new Outcome.Rejected("UNKNOWN_PLAN", "Command " + command.commandId() + ": plan "
                    + subscribe.planId() + " v" + subscribe.planVersion() + " is not on wallet.plans");
        }
        work.putAllowance(subAccountId, AllowanceBook.subscribe(work.allowance(subAccountId), plan.get(),
                subscribe.cycleAnchor(), work.now));
        work.considerAccess(subAccountId);
        return work.result();
    }

    private Outcome grantAllowance(Work work, LedgerCommand command, LedgerCommand.GrantAllowance grant) {
        String subAccountId = requireSubAccount(command);
        work.putAllowance(subAccountId, AllowanceBook.grant(work.allowance(subAccountId), grant.grant(), work.now));
        work.considerAccess(subAccountId);
        return work.result();
    }

    private Outcome numberAction(Work work, LedgerCommand command, LedgerCommand.NumberAction action) {
        PhoneNumber current = work.numbers.get(action.number());
        if (action.action() != LedgerCommand.NumberAction.Action.PURCHASE && current == null) {
            return new Outcome.Rejected("UNKNOWN_NUMBER", "Command " + command.commandId() + ": number "
                    + action.number() + " is not rented by workspace " + command.workspaceId());
        }
        switch (action.action()) {
            case PURCHASE -> {
                PhoneNumber bought = NumberLifecycle.purchase(current, action.number(), command.workspaceId(),
                        command.subAccountId(), action.monthlyCostMicros(), action.currency(), true, work.now);
                NumberFee fee = work.fee(bought);
                if (!work.canPay(bought, fee)) {
                    return new Outcome.Rejected("INSUFFICIENT_FUNDS", "Command " + command.commandId()
                            + ": the first month of " + action.number() + " costs " + fee.priceOrCost()
                            + " micros and the paying wallet cannot cover it");
                }
                Outcome.Rejected refused = work.chargeNumberFee(bought, fee, work.now);
                if (refused != null) {
                    return refused;
                }
                work.putNumber(bought);
            }
            case RENEW -> work.renew(current);
            case RELEASE -> work.putNumber(NumberLifecycle.release(current, work.now));
            case AUTO_PAY_ON -> {
                work.putNumber(NumberLifecycle.autoPay(current, true));
                work.renew(work.numbers.get(action.number()));
            }
            case AUTO_PAY_OFF -> work.putNumber(NumberLifecycle.autoPay(current, false));
            default -> throw new IllegalStateException("Unhandled number action " + action.action());
        }
        work.considerAccess(command.subAccountId());
        work.afterMoneyMoved();
        return work.result();
    }

    private static String requireSubAccount(LedgerCommand command) {
        if (isBlank(command.subAccountId())) {
            throw new IllegalArgumentException("plans and allowances belong to a sub-account; none given");
        }
        return command.subAccountId();
    }

    private static long credit(LedgerCommand.Payload payload) {
        if (payload instanceof LedgerCommand.TopUp topUp) {
            return topUp.amountMicros();
        }
        if (payload instanceof LedgerCommand.ManualCredit credit) {
            return credit.amountMicros();
        }
        return payload instanceof LedgerCommand.Adjustment adjustment ? adjustment.amountMicros() : 0;
    }

    private static boolean burnsMinutes(ChargeInput input) {
        return (input.usageType() == UsageType.VOICE || input.usageType() == UsageType.VOICE_AI)
                && input.quantityUnit() == QuantityUnit.SECOND && input.billableQuantity() > 0;
    }

    private static boolean hasSeconds(Burn burn) {
        return burn.planSeconds() > 0 || burn.addOnSeconds() > 0 || burn.licenseSeconds() > 0;
    }

    private static DailyUsage.Settled settled(ChargeInput input, Charge posted, long subAccountDebit) {
        return new DailyUsage.Settled(posted.subAccountId(), input.usageType(), input.quantityUnit(),
                posted.currency(), input.billableQuantity(), posted.costMicros(), subAccountDebit, posted.reversal());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** What one renewal of a number costs the workspace and, when re-billed, the sub-account. */
    private record NumberFee(long costMicros, boolean rebilled, long priceMicros) {
        long priceOrCost() {
            return rebilled ? priceMicros : costMicros;
        }
    }

    /** The working copy of one workspace's state while a record is applied, and what it produced. */
    private final class Work {

        private final Instant now;
        private final String workspaceId;
        private DoubleWallet wallets;
        private final Map<String, RefillState> refills;
        private final Map<String, AccessState> publishedAccess;
        private final Map<String, Allowance> allowances;
        private final Map<String, PhoneNumber> numbers;
        private final List<Posting> postings = new ArrayList<>();
        private final Set<WalletRef> touched = new LinkedHashSet<>();
        private final List<RefillRequest> refillRequests = new ArrayList<>();
        private final Map<String, AccessDecision> accessChanges = new LinkedHashMap<>();
        private final Map<String, PhoneNumber> numberChanges = new LinkedHashMap<>();
        private final Set<String> changedAllowances = new TreeSet<>();
        private final Set<String> changedRefills = new TreeSet<>();
        private final Set<String> accessCandidates = new TreeSet<>();
        private Optional<DailyUsage.Settled> settled = Optional.empty();
        private Optional<AppliedCharge> appliedCharge = Optional.empty();
        private final boolean allSubAccounts;
        private final OptionalLong workspaceBalanceBefore;
        private boolean incomplete;

        Work(WorkspaceState state, Instant now) {
            this.now = now;
            this.allSubAccounts = state.allSubAccounts();
            this.workspaceBalanceBefore = workspaceBalance(state.wallets());
            this.workspaceId = state.wallets().workspaceId();
            this.wallets = state.wallets();
            this.refills = new LinkedHashMap<>(state.refills());
            this.publishedAccess = new LinkedHashMap<>(state.publishedAccess());
            this.allowances = new LinkedHashMap<>(state.allowances());
            this.numbers = new LinkedHashMap<>(state.numbers());
        }

        /** What the record did, or {@link Outcome.Incomplete} when it needed sub-accounts that were not loaded. */
        Outcome result() {
            return incomplete ? new Outcome.Incomplete() : applied();
        }

        Outcome.Applied applied() {
            WorkspaceState after = new WorkspaceState(wallets, refills, publishedAccess, allowances, numbers,
                    allSubAccounts);
            return new Outcome.Applied(after, postings, touched, refillRequests, accessChanges,
                    List.copyOf(numberChanges.values()), changedAllowances, changedRefills, settled, appliedCharge);
        }

        void post(LedgerResult.Applied applied) {
            wallets = applied.state();
            postings.addAll(applied.postings());
            touched.addAll(applied.touchedWallets());
        }

        RefillState refill(String walletId) {
            return refills.getOrDefault(walletId, RefillState.initial());
        }

        void putRefill(String walletId, RefillState state) {
            if (!state.equals(refills.get(walletId))) {
                refills.put(walletId, state);
                changedRefills.add(walletId);
            }
        }

        Allowance allowance(String subAccountId) {
            Allowance allowance = allowances.get(subAccountId);
            return allowance != null ? allowance : AllowanceBook.startTrial(rules.trial(), now);
        }

        void putAllowance(String subAccountId, Allowance allowance) {
            allowances.put(subAccountId, allowance);
            changedAllowances.add(subAccountId);
        }

        BurnResult burn(String subAccountId, long billedSeconds) {
            BurnResult result = AllowanceBook.burn(allowance(subAccountId), billedSeconds, now);
            putAllowance(subAccountId, result.allowance());
            return result;
        }

        void restore(String subAccountId, Burn burn, Instant burnCycleStart) {
            putAllowance(subAccountId, AllowanceBook.restore(allowance(subAccountId), burn, burnCycleStart, now));
        }

        void putNumber(PhoneNumber number) {
            if (!number.equals(numbers.get(number.number()))) {
                numbers.put(number.number(), number);
                numberChanges.put(number.number(), number);
            }
        }

        void considerAccess(String subAccountId) {
            if (!isBlank(subAccountId)) {
                accessCandidates.add(subAccountId);
            }
        }

        /** Refills for every wallet whose balance moved, held numbers that may now be paid, then access. */
        void afterMoneyMoved() {
            for (WalletRef wallet : touched) {
                requestRefillIfNeeded(wallet.walletId());
                if (!wallet.isWorkspace()) {
                    considerAccess(wallet.subAccountId());
                }
            }
            if (!touched.isEmpty()) {
                for (PhoneNumber number : List.copyOf(numbers.values())) {
                    if (number.status() == NumberStatus.ON_HOLD) {
                        renew(number);
                    }
                }
            }
            decideAccess();
        }

        void requestRefillIfNeeded(String walletId) {
            RefillState state = refills.get(walletId);
            if (state == null || state.settings() == null) {
                return;
            }
            RefillPolicy.Decision decision = RefillPolicy.afterBalanceChange(walletId, balance(walletId), state, now);
            putRefill(walletId, decision.state());
            decision.request().ifPresent(refillRequests::add);
        }

        /**
         * Access of the sub-accounts this record concerns; when the workspace wallet crossed empty,
         * every sub-account's, since they all depend on it. Only changes are published.
         */
        void decideAccess() {
            Set<String> subAccounts = new TreeSet<>(accessCandidates);
            OptionalLong workspaceBalance = workspaceBalance(wallets);
            if (touched.contains(WalletRef.workspace(workspaceId))
                    && AccessPolicy.workspaceCrossedEmpty(workspaceBalanceBefore, workspaceBalance)) {
                if (!allSubAccounts) {
                    incomplete = true;
                    return;
                }
                subAccounts.addAll(publishedAccess.keySet());
                subAccounts.addAll(wallets.subAccounts().keySet());
            }
            for (String subAccountId : subAccounts) {
                Wallet own = wallets.subAccounts().get(subAccountId);
                AccessDecision decision = AccessPolicy.decide(reference.rebilled(workspaceId, subAccountId),
                        own == null ? OptionalLong.empty() : OptionalLong.of(own.balanceMicros()),
                        RefillPolicy.lastRefillFailed(refill(WalletRef.subAccount(workspaceId, subAccountId).walletId())),
                        workspaceBalance);
                if (decision.state() != publishedAccess.get(subAccountId)) {
                    publishedAccess.put(subAccountId, decision.state());
                    accessChanges.put(subAccountId, decision);
                }
            }
        }

        private static OptionalLong workspaceBalance(DoubleWallet wallets) {
            return wallets.workspace() == null ? OptionalLong.empty()
                    : OptionalLong.of(wallets.workspace().balanceMicros());
        }

        long balance(String walletId) {
            WalletRef ref = walletId.equals(workspaceId) ? WalletRef.workspace(workspaceId)
                    : WalletRef.subAccount(workspaceId, walletId.substring(workspaceId.length() + 1));
            return wallets.wallet(ref).map(Wallet::balanceMicros).orElse(0L);
        }

        NumberFee fee(PhoneNumber number) {
            boolean rebilled = !isBlank(number.subAccountId()) && reference.rebilled(workspaceId, number.subAccountId());
            long price = rebilled ? reference.rebilling().priceAddOn(workspaceId, number.subAccountId(),
                    UsageType.PHONE_NUMBER, PHONE_NUMBER_ADD_ON, number.monthlyCostMicros()).priceMicros() : 0;
            return new NumberFee(number.monthlyCostMicros(), rebilled, price);
        }

        /** The workspace must cover the cost and, when re-billed, the sub-account the price. */
        boolean canPay(PhoneNumber number, NumberFee fee) {
            boolean workspacePays = balance(workspaceId) >= fee.costMicros();
            if (!fee.rebilled()) {
                return workspacePays;
            }
            return workspacePays && balance(payerWalletId(number, fee)) >= fee.priceMicros();
        }

        private String payerWalletId(PhoneNumber number, NumberFee fee) {
            return fee.rebilled() ? WalletRef.subAccount(workspaceId, number.subAccountId()).walletId() : workspaceId;
        }

        /** One renewal period's fee, posted to both wallets under an id derived from the period. */
        Outcome.Rejected chargeNumberFee(PhoneNumber number, NumberFee fee, Instant periodStart) {
            String period = periodStart.atZone(ZoneOffset.UTC).toLocalDate().toString();
            Charge charge = new Charge("number:" + number.number() + ":" + period, workspaceId,
                    fee.rebilled() ? number.subAccountId() : null, number.currency(), fee.costMicros(),
                    fee.priceMicros(), fee.rebilled(), now,
                    "Phone number " + number.number() + ", month from " + period, true, Charge.Type.NUMBER_FEE);
            LedgerResult result = WalletLedger.applyCharge(wallets, charge, now);
            if (result instanceof LedgerResult.Rejected rejected) {
                return new Outcome.Rejected(rejected.code().name(), rejected.reason());
            }
            post((LedgerResult.Applied) result);
            return null;
        }

        /** Renews as many months as are due and paid for, holds when unpaid, releases after the grace period. */
        void renew(PhoneNumber start) {
            PhoneNumber number = start;
            for (int month = 0; month < 24 && NumberLifecycle.isDue(number, now); month++) {
                NumberFee fee;
                try {
                    fee = fee(number);
                } catch (RebillingException e) {
                    // Without settings the price is unknown: treat as unpaid, the grace period still applies.
                    fee = null;
                }
                boolean canPay = fee != null && canPay(number, fee);
                RenewalStep step = NumberLifecycle.due(number, now, canPay, rules.numberGrace());
                if (step.action() == RenewalStep.Action.CHARGE
                        && chargeNumberFee(number, fee, number.renewsAt()) != null) {
                    break;
                }
                if (step.action() == RenewalStep.Action.HOLD && fee != null) {
                    String payer = payerWalletId(number, fee);
                    long needed = payer.equals(workspaceId) ? fee.costMicros() : fee.priceMicros();
                    RefillState state = refill(payer);
                    if (state.settings() != null) {
                        RefillPolicy.Decision decision = RefillPolicy.needFunds(payer, balance(payer), needed, state, now);
                        putRefill(payer, decision.state());
                        decision.request().ifPresent(refillRequests::add);
                    }
                }
                putNumber(step.after());
                if (step.action() != RenewalStep.Action.CHARGE) {
                    break;
                }
                number = step.after();
            }
        }
    }
}
