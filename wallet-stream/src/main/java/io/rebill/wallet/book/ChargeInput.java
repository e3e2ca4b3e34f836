package io.rebill.wallet.book;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.wallet.ledger.Charge;
import java.util.Optional;

/**
 * A rated charge as the book applies it.
 *
 * @param billableQuantity billed seconds, segments or messages; negative on a reversal
 * @param reversedOriginal for a reversal, what the charge it reverses really debited and burned
 */
public record ChargeInput(Charge charge, UsageType usageType, QuantityUnit quantityUnit, long billableQuantity,
                          Optional<AppliedCharge> reversedOriginal) {
}
