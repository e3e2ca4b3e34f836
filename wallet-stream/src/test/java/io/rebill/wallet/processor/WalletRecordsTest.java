package io.rebill.wallet.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.AllowanceGrant;
import io.rebill.schemas.wallet.AllowanceKind;
import io.rebill.schemas.wallet.ManualCredit;
import io.rebill.schemas.wallet.PhoneNumberAction;
import io.rebill.schemas.wallet.PhoneNumberCommand;
import io.rebill.schemas.wallet.PlanSubscription;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.schemas.wallet.state.WalletAccount;
import io.rebill.wallet.access.AccessState;
import io.rebill.wallet.ledger.Charge;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.LedgerCommand;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.WalletRef;
import io.rebill.wallet.refill.RefillPolicy;
import io.rebill.wallet.refill.RefillState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalletRecordsTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void shouldStartEmptyWhenStoreHasNothingForWorkspace() {
        StateRecords.Workspace workspace = StateRecords.toDomain("ws-1", null, Map.of());

        assertThat(workspace.wallets()).isEqualTo(DoubleWallet.empty("ws-1"));
        assertThat(workspace.refills()).isEmpty();
        assertThat(workspace.access()).isEmpty();
    }

    @Test
    void shouldReadBackWhatItStoresPerWalletWithRefillAndAccessState() {
        Wallet agency = new Wallet("USD", -70_000, 3, "c-3/workspace", AT);
        Wallet client = new Wallet("USD", 900_000, 2, "cmd-1", AT);
        RefillState pending = RefillPolicy.onSettings(RefillState.initial(),
                io.rebill.wallet.refill.RefillSettings.toTarget(1_000_000, 10_000_000));
        Map<String, WalletAccount> subAccounts = Map.of(
                "sub-1", StateRecords.toStored(client, pending, AccessState.ALLOWED),
                "sub-2", StateRecords.toStored(null, null, AccessState.BLOCKED_WORKSPACE_FUNDS));

        StateRecords.Workspace workspace = StateRecords.toDomain("ws-1",
                StateRecords.toStored(agency, null, null), subAccounts);

        assertThat(workspace.wallets()).isEqualTo(DoubleWallet.empty("ws-1")
                .with(WalletRef.workspace("ws-1"), agency)
                .with(WalletRef.subAccount("ws-1", "sub-1"), client));
        assertThat(workspace.refills()).isEqualTo(Map.of("ws-1/sub-1", pending));
        assertThat(workspace.access()).isEqualTo(Map.of("sub-1", AccessState.ALLOWED,
                "sub-2", AccessState.BLOCKED_WORKSPACE_FUNDS));
        assertThat(subAccounts.get("sub-2").getWallet()).as("a sub-account known only by its access").isNull();
    }

    @Test
    void shouldDescribeUsageWhenTranslatingRatedCharge() {
        RatedCharge rated = RatedCharge.newBuilder()
                .setChargeId("c-1").setSourceRef("msg:carrier/m-1/v1").setWorkspaceId("ws-1")
                .setSubAccountId("sub-1").setUsageType(UsageType.SMS).setQuantityUnit(QuantityUnit.SEGMENT)
                .setRawQuantity(2).setBillableQuantity(2).setCurrency("USD").setCostMicros(15_800)
                .setPriceMicros(16_590).setRebilled(true).setMultiplierBasisPoints(10_500).setRateId("us-sms")
                .setRateVersion(1).setEventTime(AT).setRatedAt(AT.plusSeconds(1)).build();

        assertThat(WalletRecords.toCharge(rated)).isEqualTo(new Charge("c-1", "ws-1", "sub-1", "USD", 15_800,
                16_590, true, AT, "SMS 2 SEGMENT billable, rate us-sms v1, from msg:carrier/m-1/v1"));
    }

    @Test
    void shouldTranslateTopUpAndManualCreditPayloads() {
        LedgerCommand topUp = WalletRecords.toCommand(command(TopUp.newBuilder().setAmountMicros(5_000_000)
                .setCurrency("USD").setPaymentReference("pi_1").build()));
        LedgerCommand credit = WalletRecords.toCommand(command(new ManualCredit(1_000L, "USD", "goodwill")));

        assertThat(topUp).isEqualTo(new LedgerCommand("cmd-1", "ws-1", "sub-1", AT, "ops@agency",
                new LedgerCommand.TopUp(5_000_000, "USD", "pi_1")));
        assertThat(credit.payload()).isEqualTo(new LedgerCommand.ManualCredit(1_000, "USD", "goodwill"));
    }

    @Test
    void shouldTranslateEveryCommandPayloadTheWalletApplies() {
        assertThat(payload(RefillSettings.newBuilder().setEnabled(true).setCurrency("USD").setThresholdMicros(1)
                .setTargetBalanceMicros(10L).build()))
                .isEqualTo(new LedgerCommand.RefillSettingsChange(
                        io.rebill.wallet.refill.RefillSettings.toTarget(1, 10), "USD"));
        assertThat(payload(RefillFailed.newBuilder().setRefillRequestId("r-1").setFailureCode("card_declined")
                .setDeclineCode("insufficient_funds").build()))
                .isEqualTo(new LedgerCommand.RefillFailure("r-1", "card_declined", "insufficient_funds"));
        assertThat(payload(PlanSubscription.newBuilder().setPlanId("p").setPlanVersion(1).setCycleAnchor(AT).build()))
                .isEqualTo(new LedgerCommand.Subscribe("p", 1, AT));
        assertThat(payload(AllowanceGrant.newBuilder().setKind(AllowanceKind.ADD_ON).setName("500 min")
                .setMinutes(500).build()))
                .isEqualTo(new LedgerCommand.GrantAllowance(io.rebill.wallet.allowance.Grant.addOn("500 min", 500, null)));
        assertThat(payload(PhoneNumberCommand.newBuilder().setNumber("+14155550100")
                .setAction(PhoneNumberAction.PURCHASE).setMonthlyFeeMicros(1_150_000).setCurrency("USD").build()))
                .isEqualTo(new LedgerCommand.NumberAction("+14155550100",
                        LedgerCommand.NumberAction.Action.PURCHASE, 1_150_000, "USD"));
    }

    @Test
    void shouldRefuseRefillSettingsTheRulesCannotApply() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> payload(RefillSettings.newBuilder().setEnabled(true)
                        .setCurrency("USD").setThresholdMicros(1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refill amount or a target balance");
    }

    private static LedgerCommand.Payload payload(Object payload) {
        return WalletRecords.toCommand(command(payload)).payload();
    }

    private static WalletCommand command(Object payload) {
        return WalletCommand.newBuilder().setCommandId("cmd-1").setWorkspaceId("ws-1").setSubAccountId("sub-1")
                .setIssuedAt(AT).setIssuedBy("ops@agency").setPayload(payload).build();
    }
}
