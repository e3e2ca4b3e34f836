package io.rebill.wallet.numbers;

/** A rented phone number's state, as the platform shows it ("Active", "On Hold") and acts on it. */
public enum NumberStatus {
    /** paid up to {@code renewsAt} */
    ACTIVE,
    /** the renewal is due and unpaid; the number still works until the grace period ends */
    ON_HOLD,
    /** given back to the carrier; final */
    RELEASED
}
