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
 * @param refills refill state by wallet id
 * @param publishedAccess the access state last published, by sub-account id
 * @param allowances by sub-account id; only the sub-accounts the record concerns need be loaded
 * @param numbers by E.164 number; the workspace's numbers the record concerns (all of them for renewals)
 */
public record WorkspaceState(DoubleWallet wallets, Map<String, RefillState> refills,
                             Map<String, AccessState> publishedAccess, Map<String, Allowance> allowances,
                             Map<String, PhoneNumber> numbers) {

    public WorkspaceState {
        refills = Map.copyOf(refills);
        publishedAccess = Map.copyOf(publishedAccess);
        allowances = Map.copyOf(allowances);
        numbers = Map.copyOf(numbers);
    }
}
