package io.rebill.wallet.ledger;

import java.time.Instant;

/**
 * A rated usage event as the ledger sees it: the platform cost the workspace pays and, when the
 * sub-account is re-billed, the price the sub-account pays the workspace.
 *
 * @param description what the usage was, copied onto both ledger entries
 * @param billable false for usage recorded but not charged (inbound email): nothing is posted
 * @param reversal true when it credits back an earlier charge a corrected record replaced; its
 *     amounts are that charge's, negated
 */
public record Charge(String chargeId, String workspaceId, String subAccountId, String currency, long costMicros,
                     long priceMicros, boolean rebilled, Instant occurredAt, String description, boolean billable,
                     boolean reversal) {

    /** A billable usage charge. */
    public Charge(String chargeId, String workspaceId, String subAccountId, String currency, long costMicros,
                  long priceMicros, boolean rebilled, Instant occurredAt, String description) {
        this(chargeId, workspaceId, subAccountId, currency, costMicros, priceMicros, rebilled, occurredAt, description,
                true, false);
    }
}
