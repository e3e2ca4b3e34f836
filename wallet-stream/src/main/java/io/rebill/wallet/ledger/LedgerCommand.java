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
    public sealed interface Payload permits TopUp, ManualCredit, Adjustment, Unsupported {
    }

    /** Money paid into the wallet: a refill that succeeded or an offline payment. */
    public record TopUp(long amountMicros, String currency, String paymentReference) implements Payload {
    }

    /** Balance the agency adds by hand: recorded in the ledger, charged to no one. */
    public record ManualCredit(long amountMicros, String currency, String remarks) implements Payload {
    }

    /** A signed correction: positive credits, negative debits. */
    public record Adjustment(long amountMicros, String currency, String reason) implements Payload {
    }

    /**
     * A command this version does not apply (plans, allowances, refill settings and outcomes, phone
     * numbers). It is carried to the ledger so that it is rejected visibly rather than dropped.
     *
     * @param payloadType the command's payload type name, e.g. {@code RefillSettings}
     */
    public record Unsupported(String payloadType) implements Payload {
    }
}
