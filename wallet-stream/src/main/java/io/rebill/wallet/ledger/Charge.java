package io.rebill.wallet.ledger;

import java.time.Instant;

/**
 * A rated usage event as the ledger sees it: the platform cost the workspace pays and, when the
 * sub-account is re-billed, the price the sub-account pays the workspace.
 *
 * @param description what the usage was, copied onto both ledger entries
 */
public record Charge(String chargeId, String workspaceId, String subAccountId, String currency, long costMicros,
                     long priceMicros, boolean rebilled, Instant occurredAt, String description) {
}
