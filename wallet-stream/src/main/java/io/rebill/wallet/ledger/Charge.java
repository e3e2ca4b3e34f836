package io.rebill.wallet.ledger;

import java.time.Instant;

/**
 * A rated usage event as the ledger sees it: the platform cost the workspace pays and, when the
 * sub-account is re-billed, the price the sub-account pays the workspace.
 *
 * @param description what the usage was, copied onto both ledger entries
 * @param billable false for usage recorded but not charged (inbound email): nothing is posted
 * @param type what the charge is for; a {@link Type#REVERSAL} credits back an earlier charge that a
 *     corrected record replaced, its amounts being what that charge debited, negated
 */
public record Charge(String chargeId, String workspaceId, String subAccountId, String currency, long costMicros,
                     long priceMicros, boolean rebilled, Instant occurredAt, String description, boolean billable,
                     Type type) {

    /** The ledger entry kind each type posts. */
    public enum Type {
        USAGE(Posting.Kind.USAGE),
        REVERSAL(Posting.Kind.REVERSAL),
        NUMBER_FEE(Posting.Kind.NUMBER_FEE);

        private final Posting.Kind postingKind;

        Type(Posting.Kind postingKind) {
            this.postingKind = postingKind;
        }

        public Posting.Kind postingKind() {
            return postingKind;
        }
    }

    /** A billable usage charge. */
    public Charge(String chargeId, String workspaceId, String subAccountId, String currency, long costMicros,
                  long priceMicros, boolean rebilled, Instant occurredAt, String description) {
        this(chargeId, workspaceId, subAccountId, currency, costMicros, priceMicros, rebilled, occurredAt, description,
                true, Type.USAGE);
    }

    public boolean reversal() {
        return type == Type.REVERSAL;
    }

    /** The same charge with another sub-account price: what is left to pay once allowances covered part of it. */
    public Charge withPrice(long priceMicros) {
        return new Charge(chargeId, workspaceId, subAccountId, currency, costMicros, priceMicros, rebilled, occurredAt,
                description, billable, type);
    }
}
