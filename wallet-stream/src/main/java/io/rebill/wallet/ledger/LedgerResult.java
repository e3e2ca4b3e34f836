package io.rebill.wallet.ledger;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The outcome of applying one charge or command: either all of it or none of it. */
public sealed interface LedgerResult permits LedgerResult.Applied, LedgerResult.Rejected {

    /** The workspace's wallets after the operation; unchanged when rejected. */
    DoubleWallet state();

    /**
     * Applied: the new state and its postings, in order. No postings means nothing to change (a
     * zero-cost charge), which still counts as applied.
     */
    record Applied(DoubleWallet state, List<Posting> postings) implements LedgerResult {

        public Applied {
            postings = List.copyOf(postings);
        }

        /** Wallets with at least one posting, in posting order. */
        public Set<WalletRef> touchedWallets() {
            Set<WalletRef> touched = new LinkedHashSet<>();
            postings.forEach(posting -> touched.add(posting.wallet()));
            return touched;
        }
    }

    /** Refused, with a stable code and a reason for a person; {@code state} is the state before. */
    record Rejected(DoubleWallet state, RejectionCode code, String reason) implements LedgerResult {
    }
}
