package io.rebill.wallet.numbers;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A phone number a workspace rents from the platform, for itself or for one of its sub-accounts. Kept
 * in wallet-stream's numbers store under the workspace key; {@link NumberLifecycle} derives every new
 * version. The record refuses combinations the lifecycle never produces, so a corrupt store entry
 * fails loudly instead of renewing forever.
 *
 * @param number            E.164, e.g. {@code +15551234567}
 * @param subAccountId      the sub-account using the number, null for the agency's own number
 * @param monthlyCostMicros what the workspace pays the platform per month
 * @param renewsAt          when the next month is due (the end of the paid period)
 * @param heldSince         when the number went On Hold, null unless ON_HOLD
 * @param releasedAt        when the number was released, null unless RELEASED
 * @param releaseReason     why it was released, null unless RELEASED
 */
public record PhoneNumber(
        String number,
        String workspaceId,
        String subAccountId,
        NumberStatus status,
        boolean autoPay,
        long monthlyCostMicros,
        String currency,
        Instant purchasedAt,
        Instant renewsAt,
        Instant heldSince,
        Instant releasedAt,
        String releaseReason) {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public PhoneNumber {
        if (number == null || number.isBlank()) {
            throw new IllegalArgumentException("phone number must not be blank");
        }
        if (!E164.matcher(number).matches()) {
            throw new IllegalArgumentException("phone number must be E.164 (+ and up to 15 digits), was " + number);
        }
        if (workspaceId == null || workspaceId.isBlank()) {
            throw new IllegalArgumentException("workspace id of " + number + " must not be blank");
        }
        if (subAccountId != null && subAccountId.isBlank()) {
            throw new IllegalArgumentException("sub-account id of " + number + " must be null or not blank");
        }
        Objects.requireNonNull(status, "status");
        if (monthlyCostMicros < 0) {
            throw new IllegalArgumentException(
                    "monthly cost of " + number + " must be >= 0 micros, was " + monthlyCostMicros);
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency of " + number + " must be ISO 4217, was " + currency);
        }
        Objects.requireNonNull(purchasedAt, "purchasedAt");
        Objects.requireNonNull(renewsAt, "renewsAt");
        if (!renewsAt.isAfter(purchasedAt)) {
            throw new IllegalArgumentException("renewal of " + number + " must be after its purchase");
        }
        if ((status == NumberStatus.ON_HOLD) != (heldSince != null)) {
            throw new IllegalArgumentException("heldSince of " + number + " is set exactly when it is ON_HOLD");
        }
        boolean released = status == NumberStatus.RELEASED;
        if (released != (releasedAt != null) || released != (releaseReason != null)) {
            throw new IllegalArgumentException(
                    "releasedAt and releaseReason of " + number + " are set exactly when it is RELEASED");
        }
    }
}
