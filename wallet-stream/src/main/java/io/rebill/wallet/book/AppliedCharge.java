package io.rebill.wallet.book;

import io.rebill.wallet.allowance.Burn;
import java.time.Instant;

/**
 * What applying a charge really did, remembered under its id so a reversal undoes exactly that:
 * the debits (the sub-account's being the overage only, where allowances covered minutes) and the
 * allowance seconds burned in which cycle.
 */
public record AppliedCharge(long workspaceDebitMicros, long subAccountDebitMicros, Burn burn, Instant burnCycleStart) {
}
