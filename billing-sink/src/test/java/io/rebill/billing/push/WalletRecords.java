package io.rebill.billing.push;

import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.NumberState;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import java.time.Instant;

/** Access and number records as wallet-stream publishes them. */
final class WalletRecords {

    static final String WORKSPACE = "ws-1";
    static final Instant PURCHASED_AT = Instant.parse("2025-01-01T00:00:00Z");

    private WalletRecords() {
    }

    static AccessStatus access(String subAccountId, AccessState state, Instant changedAt) {
        return AccessStatus.newBuilder()
                .setWorkspaceId(WORKSPACE)
                .setSubAccountId(subAccountId)
                .setState(state)
                .setReason(state == AccessState.ALLOWED ? "" : "add funds")
                .setChangedAt(changedAt)
                .build();
    }

    static PhoneNumberStatus.Builder number(String number, NumberState state, Instant changedAt) {
        return PhoneNumberStatus.newBuilder()
                .setNumber(number)
                .setWorkspaceId(WORKSPACE)
                .setSubAccountId("sub-1")
                .setState(state)
                .setAutoPay(true)
                .setMonthlyCostMicros(1_150_000)
                .setCurrency("USD")
                .setPurchasedAt(PURCHASED_AT)
                .setChangedAt(changedAt);
    }
}
