package io.rebill.billing.refill;

import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.wallet.WalletCommand;
import java.util.Objects;

/** What billing-sink writes for one refill request or payment event, or why it writes nothing yet. */
public sealed interface Settlement {

    /**
     * The outcome is known: it is recorded on {@code billing.refill-outcomes} and, with the command
     * for the wallet and the notice for a person, written in one transaction.
     *
     * @param command null when the wallet must wait (an offline payment the operator records)
     * @param notice  null when nobody has to act
     */
    record Decided(RefillOutcome outcome, WalletCommand command, BillingNotice notice) implements Settlement {
        public Decided {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** The payment provider could not say what happened; ask again later with the same key. */
    record Undetermined(String reason) implements Settlement {
    }

    /** Already settled: writing again would only repeat what the wallet has. */
    record AlreadySettled(RefillOutcome earlier) implements Settlement {
    }

    /** A payment event that does not match a refill this sink asked for; it changes nothing. */
    record Ignored(String reason) implements Settlement {
    }
}
