package io.rebill.wallet.book;

import io.rebill.wallet.access.AccessState;
import io.rebill.wallet.allowance.Allowance;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.numbers.PhoneNumber;
import io.rebill.wallet.refill.RefillState;
import java.util.Map;

/**
 * One workspace's state, as far as a record needs it.
 *
 * @param wallets the workspace wallet and the sub-account wallets loaded
 * @param refills refill state by wallet id
 * @param publishedAccess the access state last published, by sub-account id
 * @param allowances by sub-account id; only the sub-accounts the record concerns need be loaded
 * @param numbers by E.164 number; the workspace's numbers the record concerns (all of them for renewals)
 * @param allSubAccounts whether every sub-account's wallet, refill and access state is loaded; when
 *     not, the book answers {@link Outcome.Incomplete} for a record that turns out to affect them all
 */
public record WorkspaceState(DoubleWallet wallets, Map<String, RefillState> refills,
                             Map<String, AccessState> publishedAccess, Map<String, Allowance> allowances,
                             Map<String, PhoneNumber> numbers, boolean allSubAccounts) {

    public WorkspaceState {
        refills = Map.copyOf(refills);
        publishedAccess = Map.copyOf(publishedAccess);
        allowances = Map.copyOf(allowances);
        numbers = Map.copyOf(numbers);
    }

    /** A state holding every sub-account of the workspace. */
    public WorkspaceState(DoubleWallet wallets, Map<String, RefillState> refills,
                          Map<String, AccessState> publishedAccess, Map<String, Allowance> allowances,
                          Map<String, PhoneNumber> numbers) {
        this(wallets, refills, publishedAccess, allowances, numbers, true);
    }
}
