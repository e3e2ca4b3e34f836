package io.rebill.wallet.book;

import io.rebill.wallet.access.AccessDecision;
import io.rebill.wallet.ledger.Posting;
import io.rebill.wallet.ledger.WalletRef;
import io.rebill.wallet.numbers.PhoneNumber;
import io.rebill.wallet.refill.RefillRequest;
import io.rebill.wallet.usage.DailyUsage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the book decided for one record: applied, with everything to store and publish, rejected, or asked again. */
public sealed interface Outcome {

    /**
     * The record moved the workspace wallet across empty, which changes every sub-account's
     * access, but the state given held only some sub-accounts: nothing changes, and the caller
     * loads them all and asks again.
     */
    record Incomplete() implements Outcome {
    }

    /** Nothing changes; the record goes to {@code wallet.rejected} with this stable code and reason. */
    record Rejected(String reasonCode, String reason) implements Outcome {
    }

    /**
     * @param touchedWallets wallets whose balance changed, whose new balances are published
     * @param accessChanges new access states by sub-account id, published because they changed
     * @param changedAllowances sub-accounts whose allowance changed, to be stored
     * @param changedRefills wallet ids whose refill state changed, to be stored
     * @param settled the charge as it was really settled, for the daily usage view
     * @param appliedCharge what a charge debited and burned, remembered for its reversal
     */
    record Applied(WorkspaceState state, List<Posting> postings, Set<WalletRef> touchedWallets,
                   List<RefillRequest> refillRequests, Map<String, AccessDecision> accessChanges,
                   List<PhoneNumber> numberChanges, Set<String> changedAllowances, Set<String> changedRefills,
                   Optional<DailyUsage.Settled> settled, Optional<AppliedCharge> appliedCharge) implements Outcome {

        public Applied {
            postings = List.copyOf(postings);
            // Posting order: balances are published in the order the wallets were posted to.
            touchedWallets = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(touchedWallets));
            refillRequests = List.copyOf(refillRequests);
            accessChanges = Map.copyOf(accessChanges);
            numberChanges = List.copyOf(numberChanges);
            changedAllowances = Set.copyOf(changedAllowances);
            changedRefills = Set.copyOf(changedRefills);
        }
    }
}
