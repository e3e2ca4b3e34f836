package io.rebill.wallet.book;

import static io.rebill.wallet.book.BookFixture.SA;
import static io.rebill.wallet.book.BookFixture.SA_WALLET;
import static io.rebill.wallet.book.BookFixture.T0;
import static io.rebill.wallet.book.BookFixture.WS_WALLET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.wallet.access.AccessDecision;
import io.rebill.wallet.access.AccessState;
import io.rebill.wallet.allowance.Grant;
import io.rebill.wallet.allowance.Plan;
import io.rebill.wallet.ledger.Charge;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.LedgerCommand;
import io.rebill.wallet.ledger.Posting;
import io.rebill.wallet.numbers.NumberStatus;
import io.rebill.wallet.refill.RefillRequest;
import io.rebill.wallet.refill.RefillSettings;
import io.rebill.wallet.refill.RefillState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the wallet rules work together for one workspace, without Kafka. */
class WorkspaceBookTest {

    private final BookFixture fixture = new BookFixture();

    @Test
    void shouldChargeTheSubAccountOnlyForTheOverageWhenPlanMinutesCoverPartOfACall() {
        fixture.plan(new Plan("starter", 1, "Starter", 10, 29_000_000, "USD"));
        fixture.command(SA, new LedgerCommand.Subscribe("starter", 1, T0), T0);

        // 900 s with 600 plan seconds left: 300 s overage, so 9,000 * 300 / 900 = 3,000 for the sub-account.
        Outcome.Applied applied = (Outcome.Applied) fixture.charge("c-1", 900, 6_000, 9_000, T0.plusSeconds(60));

        assertThat(applied.postings()).extracting(p -> p.wallet().walletId(), Posting::amountMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(WS_WALLET, -6_000L),
                        org.assertj.core.groups.Tuple.tuple(SA_WALLET, -3_000L));
        assertThat(applied.appliedCharge()).get().satisfies(a -> {
            assertThat(a.subAccountDebitMicros()).isEqualTo(3_000);
            assertThat(a.burn().planSeconds()).isEqualTo(600);
            assertThat(a.burn().overageSeconds()).isEqualTo(300);
        });
        assertThat(applied.settled()).get().satisfies(s -> assertThat(s.priceMicros()).isEqualTo(3_000));
    }

    @Test
    void shouldBurnPlanThenAddOnThenLicenseMinutesBeforeTheWallet() {
        fixture.plan(new Plan("starter", 1, "Starter", 1, 0, "USD"));
        fixture.command(SA, new LedgerCommand.Subscribe("starter", 1, T0), T0);
        fixture.command(SA, new LedgerCommand.GrantAllowance(Grant.addOn("Elite", 1, null)), T0);
        fixture.command(SA, new LedgerCommand.GrantAllowance(Grant.licenseMinutes("goodwill", 1, "outage")), T0);

        Outcome.Applied applied = (Outcome.Applied) fixture.charge("c-1", 240, 4_000, 6_000, T0.plusSeconds(1));

        assertThat(applied.appliedCharge().orElseThrow().burn()).satisfies(burn -> {
            assertThat(burn.planSeconds()).isEqualTo(60);
            assertThat(burn.addOnSeconds()).isEqualTo(60);
            assertThat(burn.licenseSeconds()).isEqualTo(60);
            assertThat(burn.overageSeconds()).isEqualTo(60);
        });
        assertThat(applied.appliedCharge().orElseThrow().subAccountDebitMicros()).isEqualTo(1_500);
        assertThat(applied.appliedCharge().orElseThrow().workspaceDebitMicros()).isEqualTo(4_000);
    }

    @Test
    void shouldCreditBackExactlyWhatTheOriginalDebitedAndGiveItsMinutesBack() {
        fixture.plan(new Plan("starter", 1, "Starter", 10, 0, "USD"));
        fixture.command(SA, new LedgerCommand.Subscribe("starter", 1, T0), T0);
        fixture.topUp(null, 100_000, null, T0);
        fixture.topUp(SA, 100_000, null, T0);
        Outcome.Applied charged = (Outcome.Applied) fixture.charge("c-1", 900, 6_000, 9_000, T0.plusSeconds(60));

        Outcome.Applied reversed = (Outcome.Applied) fixture.reverse("c-1", 900, 6_000, 9_000,
                charged.appliedCharge().orElseThrow(), T0.plusSeconds(120));

        assertThat(reversed.postings()).extracting(Posting::kind, Posting::amountMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Posting.Kind.REVERSAL, 6_000L),
                        org.assertj.core.groups.Tuple.tuple(Posting.Kind.REVERSAL, 3_000L));
        assertThat(fixture.balance(WS_WALLET)).isEqualTo(100_000);
        assertThat(fixture.balance(SA_WALLET)).isEqualTo(100_000);
        assertThat(fixture.state.allowances().get(SA).planSeconds()).isEqualTo(600);
    }

    @Test
    void shouldRequestOneRefillToTheTargetAndNoSecondWhilePending() {
        fixture.topUp(SA, 12_000_000, null, T0);
        fixture.refillSettings(SA, RefillSettings.toTarget(10_000_000, 50_000_000), T0);

        Outcome.Applied first = (Outcome.Applied) fixture.charge("c-1", 60, 1_000_000, 3_000_000, T0.plusSeconds(1));
        Outcome.Applied second = (Outcome.Applied) fixture.charge("c-2", 60, 1_000_000, 3_000_000, T0.plusSeconds(2));

        assertThat(first.refillRequests()).singleElement().satisfies(request -> {
            assertThat(request.walletId()).isEqualTo(SA_WALLET);
            assertThat(request.requestId()).isEqualTo("refill:ws/sa:1");
            assertThat(request.amountMicros()).isEqualTo(50_000_000 - 9_000_000);
        });
        assertThat(second.refillRequests()).isEmpty();
    }

    @Test
    void shouldBackOffAfterADeclineThenAskAgainOnceItEnds() {
        fixture.topUp(SA, 12_000_000, null, T0);
        fixture.refillSettings(SA, RefillSettings.fixedAmount(10_000_000, 20_000_000), T0);
        RefillRequest request = ((Outcome.Applied) fixture.charge("c-1", 60, 1_000_000, 3_000_000, T0))
                .refillRequests().get(0);

        fixture.command(SA, new LedgerCommand.RefillFailure(request.requestId(), "card_declined", "insufficient_funds"),
                T0.plusSeconds(5));

        assertThat(((Outcome.Applied) fixture.retryRefills(T0.plusSeconds(600))).refillRequests()).isEmpty();
        assertThat(((Outcome.Applied) fixture.retryRefills(T0.plus(BookFixture.BACKOFF).plusSeconds(5)))
                .refillRequests()).extracting(RefillRequest::requestId).containsExactly("refill:ws/sa:2");
    }

    @Test
    void shouldBlockTheSubAccountWhenItsWalletEmptiesAndAllowItAgainAfterATopUp() {
        fixture.topUp(null, 100_000_000, null, T0);
        fixture.topUp(SA, 1_000_000, null, T0);
        assertThat(fixture.last.accessChanges().get(SA).state()).isEqualTo(AccessState.ALLOWED);

        Outcome.Applied emptied = (Outcome.Applied) fixture.charge("c-1", 60, 500_000, 1_000_000, T0.plusSeconds(1));
        Outcome.Applied stillEmpty = (Outcome.Applied) fixture.charge("c-2", 6, 50_000, 100_000, T0.plusSeconds(2));
        Outcome.Applied toppedUp = (Outcome.Applied) fixture.topUp(SA, 5_000_000, null, T0.plusSeconds(3));

        assertThat(emptied.accessChanges().get(SA).state()).isEqualTo(AccessState.BLOCKED_SUBACCOUNT_FUNDS);
        assertThat(emptied.accessChanges().get(SA).reason()).startsWith("Add funds");
        assertThat(stillEmpty.accessChanges()).as("published only on change").isEmpty();
        assertThat(toppedUp.accessChanges().get(SA).state()).isEqualTo(AccessState.ALLOWED);
    }

    @Test
    void shouldTellTheClientToContactTheAdministratorWhenOnlyTheWorkspaceWalletIsEmpty() {
        fixture.topUp(null, 1_000_000, null, T0);
        fixture.topUp(SA, 50_000_000, null, T0);

        Outcome.Applied applied = (Outcome.Applied) fixture.charge("c-1", 60, 1_000_000, 1_500_000, T0.plusSeconds(1));

        assertThat(applied.accessChanges().get(SA).state()).isEqualTo(AccessState.BLOCKED_WORKSPACE_FUNDS);
        assertThat(applied.accessChanges().get(SA).reason()).startsWith("Contact your administrator");
    }

    @Test
    void shouldAskForEverySubAccountWhenACallEmptiesTheWorkspaceWalletAndOnlyTheCallersIsLoaded() {
        fixture.topUp(null, 1_000_000, null, T0);
        fixture.topUp(SA, 50_000_000, null, T0);
        fixture.topUp("sb", 50_000_000, null, T0);
        ChargeInput emptiesAgency = voiceCall("c-1", 1_000_000, 1_500_000);

        Outcome partial = fixture.book.applyCharge(onlyCallerLoaded(), emptiesAgency, T0.plusSeconds(1));
        Outcome.Applied whole = (Outcome.Applied) fixture.book.applyCharge(fixture.state, emptiesAgency,
                T0.plusSeconds(1));

        assertThat(partial).isInstanceOf(Outcome.Incomplete.class);
        assertThat(whole.accessChanges()).containsOnlyKeys(SA, "sb");
        assertThat(whole.accessChanges().values()).extracting(AccessDecision::state)
                .containsOnly(AccessState.BLOCKED_WORKSPACE_FUNDS);
    }

    @Test
    void shouldNeedOnlyTheCallersWalletWhenTheWorkspaceWalletMovesWithoutEmptying() {
        fixture.topUp(null, 100_000_000, null, T0);
        fixture.topUp(SA, 50_000_000, null, T0);
        fixture.topUp("sb", 50_000_000, null, T0);

        Outcome.Applied applied = (Outcome.Applied) fixture.book.applyCharge(onlyCallerLoaded(),
                voiceCall("c-1", 1_000_000, 1_500_000), T0.plusSeconds(1));

        assertThat(applied.postings()).extracting(p -> p.wallet().walletId(), Posting::balanceAfterMicros)
                .containsExactly(tuple(WS_WALLET, 99_000_000L), tuple(SA_WALLET, 48_500_000L));
        assertThat(applied.accessChanges()).isEmpty();
        assertThat(applied.state().allSubAccounts()).isFalse();
    }

    @Test
    void shouldApplyAReBillingChangeToAnIdleSubAccountWhenAccessIsReviewed() {
        fixture.topUp(null, 10_000_000, null, T0);
        fixture.topUp(SA, 100_000, null, T0);
        fixture.charge("c-1", 60, 100_000, 200_000, T0.plusSeconds(1));
        assertThat(fixture.last.accessChanges().get(SA).state()).isEqualTo(AccessState.BLOCKED_SUBACCOUNT_FUNDS);
        fixture.rebilled(false);

        Outcome.Applied reviewed = (Outcome.Applied) fixture.book.reviewAccess(fixture.state, T0.plusSeconds(60));
        Outcome.Applied again = (Outcome.Applied) fixture.book.reviewAccess(reviewed.state(), T0.plusSeconds(120));

        assertThat(reviewed.accessChanges().get(SA).state()).isEqualTo(AccessState.ALLOWED);
        assertThat(reviewed.postings()).isEmpty();
        assertThat(again.accessChanges()).as("published only on change").isEmpty();
        assertThatThrownBy(() -> fixture.book.reviewAccess(onlyCallerLoaded(), T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The fixture's state as wallet-stream loads it for a call of {@code SA}: the workspace wallet and SA's only. */
    private WorkspaceState onlyCallerLoaded() {
        WorkspaceState all = fixture.state;
        DoubleWallet wallets = new DoubleWallet(all.wallets().workspaceId(), all.wallets().workspace(),
                Map.of(SA, all.wallets().subAccounts().get(SA)));
        Map<String, RefillState> refills = new HashMap<>(all.refills());
        refills.keySet().retainAll(List.of(WS_WALLET, SA_WALLET));
        Map<String, AccessState> access = new HashMap<>(all.publishedAccess());
        access.keySet().retainAll(List.of(SA));
        return new WorkspaceState(wallets, refills, access, all.allowances(), all.numbers(), false);
    }

    private static ChargeInput voiceCall(String id, long cost, long price) {
        return new ChargeInput(new Charge(id, BookFixture.WS, SA, "USD", cost, price, true, T0, "VOICE 60 s"),
                UsageType.VOICE, QuantityUnit.SECOND, 60, Optional.empty());
    }

    @Test
    void shouldDependOnTheWorkspaceWalletOnlyWhenTheSubAccountIsNotRebilled() {
        fixture.rebilled(false);
        fixture.topUp(null, 10_000_000, null, T0);

        Outcome.Applied applied = (Outcome.Applied) fixture.charge("c-1", 60, 1_000_000, 0, T0.plusSeconds(1));

        assertThat(applied.accessChanges().get(SA).state()).isEqualTo(AccessState.ALLOWED);
        assertThat(applied.postings()).extracting(p -> p.wallet().walletId()).containsExactly(WS_WALLET);
    }

    @Test
    void shouldPutTheSubAccountOnHoldWhenItsRefillFailsAndItsWalletIsEmpty() {
        fixture.topUp(null, 100_000_000, null, T0);
        fixture.topUp(SA, 1_000_000, null, T0);
        fixture.refillSettings(SA, RefillSettings.fixedAmount(500_000, 20_000_000), T0);
        RefillRequest request = ((Outcome.Applied) fixture.charge("c-1", 60, 500_000, 1_000_000, T0))
                .refillRequests().get(0);

        Outcome.Applied failed = (Outcome.Applied) fixture.command(SA,
                new LedgerCommand.RefillFailure(request.requestId(), "card_declined", "insufficient_funds"),
                T0.plusSeconds(5));

        assertThat(failed.accessChanges().get(SA).state()).isEqualTo(AccessState.ON_HOLD);
    }

    @Test
    void shouldRenewANumberMonthlyHoldItWhenUnpaidAndReleaseItAfterTheGracePeriod() {
        fixture.topUp(null, 10_000_000, null, T0);
        fixture.topUp(SA, 5_000_000, null, T0);
        fixture.refillSettings(SA, RefillSettings.fixedAmount(100_000, 5_000_000), T0);
        // $1.15 a month to the platform, 1.5x to the sub-account: $1.725. $5 pays the purchase and one
        // renewal; the next finds $1.55, above the refill threshold but short of the renewal.
        Outcome.Applied bought = (Outcome.Applied) fixture.command(SA, new LedgerCommand.NumberAction("+14155550100",
                LedgerCommand.NumberAction.Action.PURCHASE, 1_150_000, "USD"), T0);
        assertThat(bought.postings()).extracting(Posting::kind, Posting::amountMicros).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Posting.Kind.NUMBER_FEE, -1_150_000L),
                org.assertj.core.groups.Tuple.tuple(Posting.Kind.NUMBER_FEE, -1_725_000L));

        Outcome.Applied renewed = (Outcome.Applied) fixture.renew(Instant.parse("2026-12-02T10:00:01Z"));
        assertThat(renewed.postings()).hasSize(2);
        assertThat(fixture.state.numbers().get("+14155550100").status()).isEqualTo(NumberStatus.ACTIVE);

        Outcome.Applied held = (Outcome.Applied) fixture.renew(Instant.parse("2027-01-02T10:00:01Z"));
        assertThat(held.postings()).isEmpty();
        assertThat(held.numberChanges()).singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(NumberStatus.ON_HOLD));
        assertThat(held.refillRequests()).as("a refill is requested for the renewal").hasSize(1);

        Outcome.Applied released = (Outcome.Applied) fixture.renew(
                Instant.parse("2027-01-02T10:00:01Z").plus(BookFixture.GRACE));
        assertThat(released.numberChanges()).singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(NumberStatus.RELEASED));
    }

    @Test
    void shouldReactivateAHeldNumberWhenTheWalletIsToppedUpWithinTheGracePeriod() {
        fixture.topUp(null, 10_000_000, null, T0);
        fixture.topUp(SA, 1_725_000, null, T0);
        fixture.command(SA, new LedgerCommand.NumberAction("+14155550100",
                LedgerCommand.NumberAction.Action.PURCHASE, 1_150_000, "USD"), T0);
        Instant due = Instant.parse("2026-12-02T10:00:01Z");
        fixture.renew(due);
        assertThat(fixture.state.numbers().get("+14155550100").status()).isEqualTo(NumberStatus.ON_HOLD);

        Outcome.Applied toppedUp = (Outcome.Applied) fixture.topUp(SA, 5_000_000, null, due.plus(Duration.ofDays(2)));

        assertThat(toppedUp.numberChanges()).singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(NumberStatus.ACTIVE));
        assertThat(toppedUp.postings()).extracting(Posting::kind)
                .contains(Posting.Kind.TOP_UP, Posting.Kind.NUMBER_FEE);
    }

    @Test
    void shouldRefuseAPurchaseThePayerCannotAfford() {
        fixture.topUp(null, 10_000_000, null, T0);

        Outcome outcome = fixture.command(SA, new LedgerCommand.NumberAction("+14155550100",
                LedgerCommand.NumberAction.Action.PURCHASE, 1_150_000, "USD"), T0);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class,
                rejected -> assertThat(rejected.reasonCode()).isEqualTo("INSUFFICIENT_FUNDS"));
        assertThat(fixture.state.numbers()).isEmpty();
    }

    @Test
    void shouldRejectASubscriptionToAPlanThatIsNotPublished() {
        Outcome outcome = fixture.command(SA, new LedgerCommand.Subscribe("ghost", 3, T0), T0);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class,
                rejected -> assertThat(rejected.reasonCode()).isEqualTo("UNKNOWN_PLAN"));
    }
}
