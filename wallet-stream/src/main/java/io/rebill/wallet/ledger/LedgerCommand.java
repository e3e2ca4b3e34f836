package io.rebill.wallet.ledger;

import java.time.Instant;

/**
 * An instruction for one wallet, as the ledger sees it.
 *
 * @param subAccountId null targets the workspace wallet
 * @param issuedBy who issued it, null when unknown
 */
public record LedgerCommand(String commandId, String workspaceId, String subAccountId, Instant issuedAt,
                            String issuedBy, Payload payload) {

    public WalletRef target() {
        return new WalletRef(workspaceId, subAccountId);
    }

    /** What the command does. */
    public sealed interface Payload permits TopUp, ManualCredit, Adjustment, RefillSettingsChange, RefillFailure,
            Subscribe, GrantAllowance, NumberAction, Unsupported {
    }

    /** A payload that moves money: {@link WalletLedger#applyCommand} posts it. */
    public boolean movesMoney() {
        return payload instanceof TopUp || payload instanceof ManualCredit || payload instanceof Adjustment;
    }

    /** Money paid into the wallet: a refill that succeeded or an offline payment. */
    public record TopUp(long amountMicros, String currency, String paymentReference, String refillRequestId)
            implements Payload {

        public TopUp(long amountMicros, String currency, String paymentReference) {
            this(amountMicros, currency, paymentReference, null);
        }
    }

    /** Balance the agency adds by hand: recorded in the ledger, charged to no one. */
    public record ManualCredit(long amountMicros, String currency, String remarks) implements Payload {
    }

    /** A signed correction: positive credits, negative debits. */
    public record Adjustment(long amountMicros, String currency, String reason) implements Payload {
    }

    /** New auto-refill settings for the target wallet. */
    public record RefillSettingsChange(io.rebill.wallet.refill.RefillSettings settings, String currency)
            implements Payload {
    }

    /** The payment provider declined or could not complete a refill. */
    public record RefillFailure(String refillRequestId, String failureCode, String declineCode) implements Payload {
    }

    /** Puts the sub-account on a plan version, anchored at {@code cycleAnchor}. */
    public record Subscribe(String planId, int planVersion, Instant cycleAnchor) implements Payload {
    }

    /** An add-on bundle or a manual license for the sub-account. */
    public record GrantAllowance(io.rebill.wallet.allowance.Grant grant) implements Payload {
    }

    /** A phone number's lifecycle step. */
    public record NumberAction(String number, Action action, long monthlyCostMicros, String currency)
            implements Payload {

        public enum Action {
            PURCHASE,
            RENEW,
            RELEASE,
            AUTO_PAY_ON,
            AUTO_PAY_OFF
        }
    }

    /**
     * A command payload wallet-stream does not know (a newer schema's, or none), carried along so
     * that it is rejected visibly rather than dropped.
     *
     * @param payloadType the command's payload type name
     */
    public record Unsupported(String payloadType) implements Payload {
    }
}
