package io.rebill.wallet.processor;

import io.rebill.schemas.rating.ChargeKind;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.LedgerEntryKind;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.schemas.wallet.WalletStatus;
import io.rebill.schemas.wallet.WalletType;
import io.rebill.schemas.wallet.state.WalletState;
import io.rebill.wallet.allowance.Grant;
import io.rebill.wallet.ledger.Charge;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.LedgerCommand;
import io.rebill.wallet.ledger.Posting;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.WalletRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Translates between the Avro records on wallet-stream's topics and store and the ledger's plain
 * Java domain, so that the ledger never sees a generated class and the schemas can evolve apart
 * from the rules.
 */
public final class WalletRecords {

    private WalletRecords() {
    }

    public static Charge toCharge(RatedCharge charge) {
        String description = (charge.getKind() == ChargeKind.REVERSAL ? "Reversal of " + charge.getReversesChargeId()
                + ": " : "") + charge.getUsageType() + " " + charge.getBillableQuantity() + " "
                + charge.getQuantityUnit() + " billable, rate " + charge.getRateId() + " v" + charge.getRateVersion()
                + ", from " + charge.getSourceRef();
        return new Charge(charge.getChargeId(), charge.getWorkspaceId(), charge.getSubAccountId(),
                charge.getCurrency(), charge.getCostMicros(), charge.getPriceMicros(), charge.getRebilled(),
                charge.getEventTime(), description, charge.getBillable(),
                charge.getKind() == ChargeKind.REVERSAL ? Charge.Type.REVERSAL : Charge.Type.USAGE);
    }

    public static LedgerCommand toCommand(WalletCommand command) {
        return new LedgerCommand(command.getCommandId(), command.getWorkspaceId(), command.getSubAccountId(),
                command.getIssuedAt(), command.getIssuedBy(), toPayload(command.getPayload()));
    }

    /** Throws IllegalArgumentException for a payload the rules refuse outright (bad refill settings, an empty grant). */
    private static LedgerCommand.Payload toPayload(Object payload) {
        if (payload instanceof io.rebill.schemas.wallet.TopUp topUp) {
            return new LedgerCommand.TopUp(topUp.getAmountMicros(), topUp.getCurrency(),
                    topUp.getPaymentReference(), topUp.getRefillRequestId());
        }
        if (payload instanceof io.rebill.schemas.wallet.ManualCredit credit) {
            return new LedgerCommand.ManualCredit(credit.getAmountMicros(), credit.getCurrency(),
                    credit.getRemarks());
        }
        if (payload instanceof io.rebill.schemas.wallet.Adjustment adjustment) {
            return new LedgerCommand.Adjustment(adjustment.getAmountMicros(), adjustment.getCurrency(),
                    adjustment.getReason());
        }
        if (payload instanceof io.rebill.schemas.wallet.RefillSettings settings) {
            return new LedgerCommand.RefillSettingsChange(StateRecords.refillSettings(settings), settings.getCurrency());
        }
        if (payload instanceof io.rebill.schemas.wallet.RefillFailed failed) {
            return new LedgerCommand.RefillFailure(failed.getRefillRequestId(), failed.getFailureCode(),
                    failed.getDeclineCode());
        }
        if (payload instanceof io.rebill.schemas.wallet.PlanSubscription subscription) {
            return new LedgerCommand.Subscribe(subscription.getPlanId(), subscription.getPlanVersion(),
                    subscription.getCycleAnchor());
        }
        if (payload instanceof io.rebill.schemas.wallet.AllowanceGrant grant) {
            return new LedgerCommand.GrantAllowance(new Grant(grant.getKind(), grant.getName(), grant.getMinutes(),
                    grant.getDays(), grant.getRemarks()));
        }
        if (payload instanceof io.rebill.schemas.wallet.PhoneNumberCommand number) {
            if (number.getAction() == io.rebill.schemas.wallet.PhoneNumberAction.UNKNOWN) {
                throw new IllegalArgumentException("phone number action UNKNOWN");
            }
            return new LedgerCommand.NumberAction(number.getNumber(),
                    LedgerCommand.NumberAction.Action.valueOf(number.getAction().name()), number.getMonthlyFeeMicros(),
                    number.getCurrency());
        }
        return new LedgerCommand.Unsupported(payload == null ? "null" : payload.getClass().getSimpleName());
    }

    public static LedgerEntry toLedgerEntry(Posting posting, Instant recordedAt) {
        WalletRef wallet = posting.wallet();
        return LedgerEntry.newBuilder()
                .setEntryId(posting.entryId())
                .setWalletId(wallet.walletId())
                .setWorkspaceId(wallet.workspaceId())
                .setSubAccountId(wallet.subAccountId())
                .setWalletType(walletType(wallet))
                .setKind(LedgerEntryKind.valueOf(posting.kind().name()))
                .setAmountMicros(posting.amountMicros())
                .setBalanceAfterMicros(posting.balanceAfterMicros())
                .setCurrency(posting.currency())
                .setReference(posting.reference())
                .setDescription(posting.description())
                .setOccurredAt(posting.occurredAt())
                .setRecordedAt(recordedAt)
                .build();
    }

    public static WalletBalance toBalance(WalletRef ref, Wallet wallet) {
        return WalletBalance.newBuilder()
                .setWalletId(ref.walletId())
                .setWorkspaceId(ref.workspaceId())
                .setSubAccountId(ref.subAccountId())
                .setWalletType(walletType(ref))
                .setCurrency(wallet.currency())
                .setBalanceMicros(wallet.balanceMicros())
                .setStatus(WalletStatus.valueOf(wallet.status().name()))
                .setEntryCount(wallet.entryCount())
                .setLastEntryId(wallet.lastEntryId())
                .setUpdatedAt(wallet.updatedAt())
                .build();
    }

    private static WalletType walletType(WalletRef ref) {
        return ref.isWorkspace() ? WalletType.WORKSPACE : WalletType.SUB_ACCOUNT;
    }

    static Wallet toWallet(WalletState state) {
        return new Wallet(state.getCurrency(), state.getBalanceMicros(), state.getEntryCount(),
                state.getLastEntryId(), state.getUpdatedAt());
    }

    static WalletState toState(Wallet wallet) {
        return WalletState.newBuilder()
                .setCurrency(wallet.currency())
                .setBalanceMicros(wallet.balanceMicros())
                .setEntryCount(wallet.entryCount())
                .setLastEntryId(wallet.lastEntryId())
                .setUpdatedAt(wallet.updatedAt())
                .build();
    }
}
