package io.rebill.wallet;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import java.time.Instant;

/** Rated charges and wallet commands for workspace {@code ws-1} and its sub-account {@code sub-1}. */
final class WalletFixtures {

    static final String WS = "ws-1";
    static final String SUB = "sub-1";
    static final Instant EVENT = Instant.parse("2026-03-01T11:59:00Z");

    private WalletFixtures() {
    }

    /** A re-billed 60-second voice-AI call of workspace {@link #WS}'s sub-account {@link #SUB}. */
    static RatedCharge charge(String chargeId, long costMicros, long priceMicros) {
        return chargeBuilder(WS, chargeId, costMicros, priceMicros).build();
    }

    static RatedCharge notRebilledCharge(String chargeId, long costMicros) {
        return chargeBuilder(WS, chargeId, costMicros, 0).setRebilled(false).setMultiplierBasisPoints(10_000).build();
    }

    static RatedCharge.Builder chargeBuilder(String workspaceId, String chargeId, long costMicros, long priceMicros) {
        return RatedCharge.newBuilder()
                .setChargeId(chargeId)
                .setSourceRef("cdr:carrier/" + chargeId + "/v1")
                .setWorkspaceId(workspaceId)
                .setSubAccountId(SUB)
                .setUsageType(UsageType.VOICE_AI)
                .setQuantityUnit(QuantityUnit.SECOND)
                .setRawQuantity(58)
                .setBillableQuantity(60)
                .setCurrency("USD")
                .setCostMicros(costMicros)
                .setPriceMicros(priceMicros)
                .setRebilled(true)
                .setMultiplierBasisPoints(10_500)
                .setRateId("us-voice-ai")
                .setRateVersion(3)
                .setEventTime(EVENT)
                .setRatedAt(EVENT.plusSeconds(1));
    }

    static TopUp topUp(long amountMicros, String paymentReference, String currency) {
        return TopUp.newBuilder().setAmountMicros(amountMicros).setCurrency(currency)
                .setPaymentReference(paymentReference).build();
    }

    /** A command for {@link #WS}; {@code subAccountId} null targets the workspace wallet. */
    static WalletCommand command(String commandId, String subAccountId, Object payload) {
        return WalletCommand.newBuilder()
                .setCommandId(commandId)
                .setWorkspaceId(WS)
                .setSubAccountId(subAccountId)
                .setIssuedAt(EVENT)
                .setIssuedBy("ops@agency")
                .setPayload(payload)
                .build();
    }
}
