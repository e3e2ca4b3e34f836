package io.rebill.wallet.ledger;

import io.rebill.wallet.ledger.LedgerCommand.Adjustment;
import io.rebill.wallet.ledger.LedgerCommand.ManualCredit;
import io.rebill.wallet.ledger.LedgerCommand.TopUp;
import io.rebill.wallet.ledger.LedgerCommand.Unsupported;
import io.rebill.wallet.ledger.LedgerResult.Applied;
import io.rebill.wallet.ledger.LedgerResult.Rejected;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The double-wallet rules, free of Kafka: wallet-stream's processors load a workspace's
 * {@link DoubleWallet}, ask this class what a charge or command does to it, and store and publish
 * the answer. Every operation is all-or-nothing: a rejection leaves the state as it was.
 */
public final class WalletLedger {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private WalletLedger() {
    }

    /**
     * Debits the workspace wallet by the platform cost and, when the charge is re-billed, the
     * sub-account wallet by the price. A wallet seen for the first time is opened in the charge's
     * currency; a zero amount posts nothing on its side. A reversal carries the replaced charge's
     * amounts negated and so credits both wallets back exactly; a charge that is not billable
     * posts nothing.
     *
     * @param appliedAt when wallet-stream applies it, recorded as the wallets' {@code updatedAt}
     */
    public static LedgerResult applyCharge(DoubleWallet state, Charge charge, Instant appliedAt) {
        if (!state.workspaceId().equals(charge.workspaceId())) {
            return workspaceMismatch(state, "Charge " + charge.chargeId(), charge.workspaceId());
        }
        if (!charge.billable()) {
            // Recorded upstream for reporting; nobody owes anything for it.
            return new Applied(state, List.of());
        }
        boolean credits = charge.costMicros() < 0 || charge.priceMicros() < 0;
        boolean debits = charge.costMicros() > 0 || charge.priceMicros() > 0;
        if (charge.reversal() ? debits : credits) {
            return new Rejected(state, RejectionCode.INVALID_CHARGE, "Charge " + charge.chargeId()
                    + (charge.reversal() ? " is a reversal but has a positive amount" : " has a negative amount")
                    + " (cost " + charge.costMicros() + ", price " + charge.priceMicros() + " micros)");
        }
        if (charge.rebilled() && isBlank(charge.subAccountId())) {
            return new Rejected(state, RejectionCode.INVALID_CHARGE,
                    "Charge " + charge.chargeId() + " is re-billed but names no sub-account");
        }
        if (!isCurrency(charge.currency())) {
            return invalidCurrency(state, "Charge " + charge.chargeId(), charge.currency());
        }

        List<Side> sides = new ArrayList<>();
        sides.add(new Side(WalletRef.workspace(charge.workspaceId()), -charge.costMicros()));
        if (charge.rebilled()) {
            sides.add(new Side(WalletRef.subAccount(charge.workspaceId(), charge.subAccountId()),
                    -charge.priceMicros()));
        }
        for (Side side : sides) {
            Optional<Rejected> mismatch = currencyMismatch(state, side.wallet(), charge.currency(),
                    "Charge " + charge.chargeId());
            if (mismatch.isPresent()) {
                return mismatch.get();
            }
        }

        Book book = new Book(state, appliedAt);
        try {
            for (Side side : sides) {
                if (side.amountMicros() != 0) {
                    book.post(side.wallet(), charge.chargeId() + "/" + side.wallet().entrySuffix(),
                            charge.type().postingKind(),
                            side.amountMicros(), charge.currency(), charge.chargeId(), charge.description(),
                            charge.occurredAt());
                }
            }
        } catch (ArithmeticException overflow) {
            return balanceOverflow(state, "Charge " + charge.chargeId());
        }
        return book.applied();
    }

    /**
     * Applies a top-up, manual credit or adjustment to the command's target wallet, opening it in
     * the command's currency if needed. Commands that move no money belong to the WorkspaceBook;
     * one that reaches the ledger is rejected with {@link RejectionCode#UNSUPPORTED_COMMAND}, so
     * nobody mistakes it for applied.
     */
    public static LedgerResult applyCommand(DoubleWallet state, LedgerCommand command, Instant appliedAt) {
        String subject = "Command " + command.commandId();
        if (!state.workspaceId().equals(command.workspaceId())) {
            return workspaceMismatch(state, subject, command.workspaceId());
        }
        if (command.subAccountId() != null && command.subAccountId().isBlank()) {
            return new Rejected(state, RejectionCode.INVALID_COMMAND,
                    subject + " has a blank sub-account id; leave it null to target the workspace wallet");
        }
        LedgerCommand.Payload payload = command.payload();
        if (payload instanceof Unsupported unsupported) {
            return new Rejected(state, RejectionCode.UNSUPPORTED_COMMAND, subject + ": "
                    + unsupported.payloadType() + " commands are not applied by the ledger");
        }

        Entry entry;
        if (payload instanceof TopUp topUp) {
            if (topUp.amountMicros() <= 0) {
                return invalidAmount(state, subject, "top-up", topUp.amountMicros(), "positive");
            }
            entry = new Entry(Posting.Kind.TOP_UP, topUp.amountMicros(), topUp.currency(),
                    "Top-up, payment " + topUp.paymentReference() + by(command));
        } else if (payload instanceof ManualCredit credit) {
            if (credit.amountMicros() <= 0) {
                return invalidAmount(state, subject, "manual credit", credit.amountMicros(), "positive");
            }
            entry = new Entry(Posting.Kind.MANUAL_CREDIT, credit.amountMicros(), credit.currency(),
                    "Manual credit, charged to no one" + by(command)
                            + (isBlank(credit.remarks()) ? "" : ": " + credit.remarks()));
        } else if (payload instanceof Adjustment adjustment) {
            if (adjustment.amountMicros() == 0) {
                return invalidAmount(state, subject, "adjustment", 0, "non-zero");
            }
            entry = new Entry(Posting.Kind.ADJUSTMENT, adjustment.amountMicros(), adjustment.currency(),
                    "Adjustment" + by(command) + ": " + adjustment.reason());
        } else {
            throw new IllegalStateException("Unknown command payload " + payload);
        }

        if (!isCurrency(entry.currency())) {
            return invalidCurrency(state, subject, entry.currency());
        }
        WalletRef target = command.target();
        Optional<Rejected> mismatch = currencyMismatch(state, target, entry.currency(), subject);
        if (mismatch.isPresent()) {
            return mismatch.get();
        }
        Book book = new Book(state, appliedAt);
        try {
            book.post(target, command.commandId(), entry.kind(), entry.amountMicros(), entry.currency(),
                    command.commandId(), entry.description(), command.issuedAt());
        } catch (ArithmeticException overflow) {
            return balanceOverflow(state, subject);
        }
        return book.applied();
    }

    private static Optional<Rejected> currencyMismatch(DoubleWallet state, WalletRef wallet, String currency,
                                                       String subject) {
        return state.wallet(wallet)
                .filter(existing -> !existing.currency().equals(currency))
                .map(existing -> new Rejected(state, RejectionCode.CURRENCY_MISMATCH, subject + " is in "
                        + currency + " but wallet " + wallet.walletId() + " is in " + existing.currency()));
    }

    private static Rejected workspaceMismatch(DoubleWallet state, String subject, String workspaceId) {
        return new Rejected(state, RejectionCode.WORKSPACE_MISMATCH, subject + " names workspace " + workspaceId
                + " but was routed to workspace " + state.workspaceId() + "'s wallets");
    }

    private static Rejected invalidCurrency(DoubleWallet state, String subject, String currency) {
        return new Rejected(state, RejectionCode.INVALID_CURRENCY,
                subject + " has currency '" + currency + "', not an ISO 4217 code");
    }

    private static Rejected invalidAmount(DoubleWallet state, String subject, String what, long amountMicros,
                                          String required) {
        return new Rejected(state, RejectionCode.INVALID_AMOUNT,
                subject + ": a " + what + " must be " + required + ", got " + amountMicros + " micros");
    }

    private static Rejected balanceOverflow(DoubleWallet state, String subject) {
        return new Rejected(state, RejectionCode.BALANCE_OVERFLOW, subject + " would overflow a wallet balance");
    }

    private static String by(LedgerCommand command) {
        return isBlank(command.issuedBy()) ? "" : " by " + command.issuedBy();
    }

    private static boolean isCurrency(String currency) {
        return currency != null && CURRENCY.matcher(currency).matches();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private record Side(WalletRef wallet, long amountMicros) {
    }

    private record Entry(Posting.Kind kind, long amountMicros, String currency, String description) {
    }

    /** Accumulates postings on a working copy; the caller discards it on overflow. */
    private static final class Book {

        private DoubleWallet state;
        private final Instant appliedAt;
        private final List<Posting> postings = new ArrayList<>();

        Book(DoubleWallet state, Instant appliedAt) {
            this.state = state;
            this.appliedAt = appliedAt;
        }

        void post(WalletRef ref, String entryId, Posting.Kind kind, long amountMicros, String currency,
                  String reference, String description, Instant occurredAt) {
            Wallet before = state.wallet(ref).orElseGet(() -> Wallet.open(currency, appliedAt));
            Wallet after = before.post(amountMicros, entryId, appliedAt);
            state = state.with(ref, after);
            postings.add(new Posting(entryId, ref, kind, amountMicros, after.balanceMicros(), currency, reference,
                    description, occurredAt));
        }

        Applied applied() {
            return new Applied(state, postings);
        }
    }
}
