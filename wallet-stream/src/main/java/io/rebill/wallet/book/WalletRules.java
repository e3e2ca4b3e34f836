package io.rebill.wallet.book;

import io.rebill.wallet.allowance.TrialTerms;
import java.time.Duration;

/**
 * The configurable parts of the wallet rules.
 *
 * @param trial what a new sub-account's trial includes
 * @param refillBackoff how long after a declined refill before asking again
 * @param numberGrace how long a number stays on hold, unpaid, before it is released
 */
public record WalletRules(TrialTerms trial, Duration refillBackoff, Duration numberGrace) {
}
