package io.rebill.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rebill.wallet.ledger.LedgerResult.Applied;
import io.rebill.wallet.ledger.LedgerResult.Rejected;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WalletLedgerTest {

    private static final String WS = "ws-1";
    private static final String SUB = "sub-1";
    private static final WalletRef WORKSPACE_WALLET = WalletRef.workspace(WS);
    private static final WalletRef SUB_WALLET = WalletRef.subAccount(WS, SUB);
    private static final Instant EVENT = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant APPLIED = Instant.parse("2026-03-01T10:00:05Z");

    @Test
    void shouldDebitWorkspaceByCostAndSubAccountByPriceWhenRebilled() {
        LedgerResult result = WalletLedger.applyCharge(DoubleWallet.empty(WS),
                charge("c-1", 70_000, 73_500, true), APPLIED);

        Applied applied = (Applied) result;
        assertThat(applied.postings()).containsExactly(
                new Posting("c-1/workspace", WORKSPACE_WALLET, Posting.Kind.USAGE, -70_000, -70_000, "USD", "c-1",
                        "VOICE_AI 60 SECOND", EVENT),
                new Posting("c-1/sub-account", SUB_WALLET, Posting.Kind.USAGE, -73_500, -73_500, "USD", "c-1",
                        "VOICE_AI 60 SECOND", EVENT));
        assertThat(applied.state().wallet(WORKSPACE_WALLET))
                .contains(new Wallet("USD", -70_000, 1, "c-1/workspace", APPLIED));
        assertThat(applied.state().wallet(SUB_WALLET))
                .contains(new Wallet("USD", -73_500, 1, "c-1/sub-account", APPLIED));
    }

    @Test
    void shouldDebitOnlyWorkspaceWhenNotRebilled() {
        Applied applied = (Applied) WalletLedger.applyCharge(DoubleWallet.empty(WS),
                charge("c-1", 70_000, 0, false), APPLIED);

        assertThat(applied.postings()).extracting(Posting::wallet).containsExactly(WORKSPACE_WALLET);
        assertThat(applied.state().subAccounts()).isEmpty();
        assertThat(applied.state().wallet(WORKSPACE_WALLET).orElseThrow().balanceMicros()).isEqualTo(-70_000);
    }

    @Test
    void shouldDebitExistingBalancesWhenWalletsAreFunded() {
        DoubleWallet funded = fundedWallets(1_000_000, 500_000);

        Applied applied = (Applied) WalletLedger.applyCharge(funded, charge("c-1", 70_000, 73_500, true), APPLIED);

        assertThat(applied.postings()).extracting(Posting::balanceAfterMicros).containsExactly(930_000L, 426_500L);
        assertThat(applied.state().wallet(WORKSPACE_WALLET).orElseThrow().entryCount()).isEqualTo(2);
    }

    @Test
    void shouldPostNothingForTheSideWhoseAmountIsZero() {
        Applied applied = (Applied) WalletLedger.applyCharge(DoubleWallet.empty(WS),
                charge("c-1", 0, 10_000, true), APPLIED);

        assertThat(applied.postings()).extracting(Posting::entryId).containsExactly("c-1/sub-account");
        assertThat(applied.state().workspace()).isNull();
    }

    @Test
    void shouldRejectAndKeepStateWhenCurrencyDiffersFromExistingWallet() {
        DoubleWallet funded = fundedWallets(1_000_000, 500_000);
        Charge inEuro = new Charge("c-1", WS, SUB, "EUR", 70_000, 73_500, true, EVENT, "VOICE_AI 60 SECOND");

        Rejected rejected = (Rejected) WalletLedger.applyCharge(funded, inEuro, APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.CURRENCY_MISMATCH);
        assertThat(rejected.reason()).contains("EUR", "USD", WS);
        assertThat(rejected.state()).isSameAs(funded);
    }

    @Test
    void shouldRejectWholeChargeWhenOnlySubAccountCurrencyDiffers() {
        DoubleWallet mixed = DoubleWallet.empty(WS)
                .with(WORKSPACE_WALLET, Wallet.open("USD", EVENT))
                .with(SUB_WALLET, Wallet.open("EUR", EVENT));

        Rejected rejected = (Rejected) WalletLedger.applyCharge(mixed, charge("c-1", 70_000, 73_500, true), APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.CURRENCY_MISMATCH);
        assertThat(rejected.reason()).contains(SUB_WALLET.walletId());
        assertThat(rejected.state()).isSameAs(mixed);
    }

    @Test
    void shouldRejectChargeWhenCostOrPriceIsNegative() {
        DoubleWallet empty = DoubleWallet.empty(WS);

        Rejected negativeCost = (Rejected) WalletLedger.applyCharge(empty, charge("c-1", -1, 0, false), APPLIED);
        Rejected negativePrice = (Rejected) WalletLedger.applyCharge(empty, charge("c-2", 1, -1, true), APPLIED);

        assertThat(negativeCost.code()).isEqualTo(RejectionCode.INVALID_CHARGE);
        assertThat(negativePrice.code()).isEqualTo(RejectionCode.INVALID_CHARGE);
        assertThat(negativePrice.state()).isSameAs(empty);
    }

    @Test
    void shouldRejectRebilledChargeWhenSubAccountIsMissing() {
        Charge noSubAccount = new Charge("c-1", WS, "", "USD", 1, 2, true, EVENT, "SMS");

        Rejected rejected = (Rejected) WalletLedger.applyCharge(DoubleWallet.empty(WS), noSubAccount, APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.INVALID_CHARGE);
    }

    @Test
    void shouldRejectChargeWhenCurrencyIsNotIsoCode() {
        Charge lowerCase = new Charge("c-1", WS, SUB, "usd", 1, 2, true, EVENT, "SMS");

        Rejected rejected = (Rejected) WalletLedger.applyCharge(DoubleWallet.empty(WS), lowerCase, APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.INVALID_CURRENCY);
    }

    @Test
    void shouldRejectChargeWhenItNamesAnotherWorkspace() {
        Charge otherWorkspace = new Charge("c-1", "ws-2", SUB, "USD", 1, 2, true, EVENT, "SMS");

        Rejected rejected = (Rejected) WalletLedger.applyCharge(DoubleWallet.empty(WS), otherWorkspace, APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.WORKSPACE_MISMATCH);
    }

    @Test
    void shouldRejectAndKeepStateWhenBalanceWouldOverflow() {
        DoubleWallet nearlyBroke = DoubleWallet.empty(WS)
                .with(WORKSPACE_WALLET, new Wallet("USD", Long.MIN_VALUE + 10, 1, "x", EVENT));

        Rejected rejected = (Rejected) WalletLedger.applyCharge(nearlyBroke, charge("c-1", 11, 0, false), APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.BALANCE_OVERFLOW);
        assertThat(rejected.state()).isSameAs(nearlyBroke);
    }

    @Test
    void shouldCreditWalletWithPaymentReferenceWhenToppingUp() {
        LedgerCommand topUp = command("cmd-1", SUB, new LedgerCommand.TopUp(20_000_000, "USD", "pi_123"));

        Applied applied = (Applied) WalletLedger.applyCommand(DoubleWallet.empty(WS), topUp, APPLIED);

        assertThat(applied.postings()).containsExactly(new Posting("cmd-1", SUB_WALLET, Posting.Kind.TOP_UP,
                20_000_000, 20_000_000, "USD", "cmd-1", "Top-up, payment pi_123 by ops@agency", EVENT));
        assertThat(applied.state().wallet(SUB_WALLET))
                .contains(new Wallet("USD", 20_000_000, 1, "cmd-1", APPLIED));
    }

    @Test
    void shouldTargetWorkspaceWalletWhenSubAccountIsNull() {
        LedgerCommand topUp = command("cmd-1", null, new LedgerCommand.TopUp(5_000_000, "USD", "pi_1"));

        Applied applied = (Applied) WalletLedger.applyCommand(DoubleWallet.empty(WS), topUp, APPLIED);

        assertThat(applied.touchedWallets()).containsExactly(WORKSPACE_WALLET);
        assertThat(applied.state().workspace().balanceMicros()).isEqualTo(5_000_000);
    }

    @Test
    void shouldRecordManualCreditAsChargedToNoOne() {
        LedgerCommand credit = command("cmd-1", SUB, new LedgerCommand.ManualCredit(3_000_000, "USD", "goodwill"));

        Applied applied = (Applied) WalletLedger.applyCommand(fundedWallets(1_000_000, 0), credit, APPLIED);

        Posting posting = applied.postings().get(0);
        assertThat(posting.kind()).isEqualTo(Posting.Kind.MANUAL_CREDIT);
        assertThat(posting.amountMicros()).isEqualTo(3_000_000);
        assertThat(posting.description()).contains("charged to no one", "goodwill");
        assertThat(applied.state().workspace().balanceMicros())
                .as("the workspace pays nothing for a manual credit").isEqualTo(1_000_000);
    }

    @Test
    void shouldApplySignedAmountWithReasonWhenAdjusting() {
        LedgerCommand debit = command("cmd-1", null, new LedgerCommand.Adjustment(-250_000, "USD", "double refill"));

        Applied applied = (Applied) WalletLedger.applyCommand(fundedWallets(1_000_000, 0), debit, APPLIED);

        Posting posting = applied.postings().get(0);
        assertThat(posting.kind()).isEqualTo(Posting.Kind.ADJUSTMENT);
        assertThat(posting.amountMicros()).isEqualTo(-250_000);
        assertThat(posting.balanceAfterMicros()).isEqualTo(750_000);
        assertThat(posting.description()).contains("double refill");
    }

    @Test
    void shouldRejectTopUpOrManualCreditWhenAmountIsNotPositive() {
        DoubleWallet empty = DoubleWallet.empty(WS);

        Rejected zeroTopUp = (Rejected) WalletLedger.applyCommand(empty,
                command("cmd-1", SUB, new LedgerCommand.TopUp(0, "USD", "pi_1")), APPLIED);
        Rejected negativeCredit = (Rejected) WalletLedger.applyCommand(empty,
                command("cmd-2", SUB, new LedgerCommand.ManualCredit(-1, "USD", null)), APPLIED);

        assertThat(zeroTopUp.code()).isEqualTo(RejectionCode.INVALID_AMOUNT);
        assertThat(negativeCredit.code()).isEqualTo(RejectionCode.INVALID_AMOUNT);
        assertThat(negativeCredit.state()).isSameAs(empty);
    }

    @Test
    void shouldRejectAdjustmentWhenAmountIsZero() {
        Rejected rejected = (Rejected) WalletLedger.applyCommand(DoubleWallet.empty(WS),
                command("cmd-1", SUB, new LedgerCommand.Adjustment(0, "USD", "nothing")), APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.INVALID_AMOUNT);
    }

    @Test
    void shouldRejectCommandAndKeepStateWhenCurrencyDiffersFromTargetWallet() {
        DoubleWallet funded = fundedWallets(1_000_000, 500_000);

        Rejected rejected = (Rejected) WalletLedger.applyCommand(funded,
                command("cmd-1", SUB, new LedgerCommand.TopUp(1_000_000, "EUR", "pi_1")), APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.CURRENCY_MISMATCH);
        assertThat(rejected.state()).isSameAs(funded);
    }

    @Test
    void shouldRejectCommandWhenSubAccountIdIsBlank() {
        Rejected rejected = (Rejected) WalletLedger.applyCommand(DoubleWallet.empty(WS),
                command("cmd-1", " ", new LedgerCommand.TopUp(1, "USD", "pi_1")), APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.INVALID_COMMAND);
    }

    @Test
    void shouldRejectUnsupportedCommandNamingItsType() {
        DoubleWallet funded = fundedWallets(1_000_000, 0);

        Rejected rejected = (Rejected) WalletLedger.applyCommand(funded,
                command("cmd-1", SUB, new LedgerCommand.Unsupported("RefillSettings")), APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.UNSUPPORTED_COMMAND);
        assertThat(rejected.reason())
                .contains("RefillSettings", "not applied by the ledger");
        assertThat(rejected.state()).isSameAs(funded);
    }

    @Test
    void shouldCreditBothWalletsBackExactlyWhenAReversalArrives() {
        Applied charged = (Applied) WalletLedger.applyCharge(fundedWallets(1_000_000, 500_000),
                charge("c-1", 70_000, 73_500, true), APPLIED);
        Charge reversal = new Charge("reversal:c-1", WS, SUB, "USD", -70_000, -73_500, true, EVENT,
                "Reversal of c-1", true, Charge.Type.REVERSAL);

        Applied reversed = (Applied) WalletLedger.applyCharge(charged.state(), reversal, APPLIED);

        assertThat(reversed.postings()).extracting(Posting::kind, Posting::amountMicros, Posting::balanceAfterMicros)
                .containsExactly(tuple(Posting.Kind.REVERSAL, 70_000L, 1_000_000L),
                        tuple(Posting.Kind.REVERSAL, 73_500L, 500_000L));
        assertThat(reversed.postings()).extracting(Posting::entryId)
                .containsExactly("reversal:c-1/workspace", "reversal:c-1/sub-account");
    }

    @Test
    void shouldRejectAReversalThatWouldDebit() {
        Charge wrongSign = new Charge("reversal:c-1", WS, SUB, "USD", 70_000, 73_500, true, EVENT, "Reversal", true,
                Charge.Type.REVERSAL);
        DoubleWallet funded = fundedWallets(1_000_000, 500_000);

        Rejected rejected = (Rejected) WalletLedger.applyCharge(funded, wrongSign, APPLIED);

        assertThat(rejected.code()).isEqualTo(RejectionCode.INVALID_CHARGE);
        assertThat(rejected.state()).isSameAs(funded);
    }

    @Test
    void shouldPostNothingForUsageThatIsRecordedButNotBillable() {
        Charge inboundEmail = new Charge("msg:e-2", WS, SUB, "XXX", 0, 0, false, EVENT, "EMAIL 0 MESSAGE", false,
                Charge.Type.USAGE);
        DoubleWallet funded = fundedWallets(1_000_000, 500_000);

        Applied applied = (Applied) WalletLedger.applyCharge(funded, inboundEmail, APPLIED);

        assertThat(applied.postings()).isEmpty();
        assertThat(applied.state()).isEqualTo(funded);
    }

    private static Charge charge(String chargeId, long costMicros, long priceMicros, boolean rebilled) {
        return new Charge(chargeId, WS, SUB, "USD", costMicros, priceMicros, rebilled, EVENT, "VOICE_AI 60 SECOND");
    }

    private static LedgerCommand command(String commandId, String subAccountId, LedgerCommand.Payload payload) {
        return new LedgerCommand(commandId, WS, subAccountId, EVENT, "ops@agency", payload);
    }

    private static DoubleWallet fundedWallets(long workspaceMicros, long subAccountMicros) {
        return DoubleWallet.empty(WS)
                .with(WORKSPACE_WALLET, Wallet.open("USD", EVENT).post(workspaceMicros, "seed/workspace", EVENT))
                .with(SUB_WALLET, Wallet.open("USD", EVENT).post(subAccountMicros, "seed/sub-account", EVENT));
    }
}
