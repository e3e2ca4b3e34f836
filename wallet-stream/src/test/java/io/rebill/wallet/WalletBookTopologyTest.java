package io.rebill.wallet;

import static io.rebill.wallet.WalletFixtures.SUB;
import static io.rebill.wallet.WalletFixtures.WS;
import static io.rebill.wallet.WalletFixtures.charge;
import static io.rebill.wallet.WalletFixtures.chargeBuilder;
import static io.rebill.wallet.WalletFixtures.command;
import static io.rebill.wallet.WalletFixtures.topUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.AllowanceGrant;
import io.rebill.schemas.wallet.AllowanceKind;
import io.rebill.schemas.wallet.DailyUsage;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.LedgerEntryKind;
import io.rebill.schemas.wallet.NumberState;
import io.rebill.schemas.wallet.PhoneNumberAction;
import io.rebill.schemas.wallet.PhoneNumberCommand;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.schemas.wallet.Plan;
import io.rebill.schemas.wallet.PlanSubscription;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.state.RecentLedgerEntry;
import io.rebill.wallet.processor.WalletStores;
import io.rebill.wallet.query.LedgerPage;
import io.rebill.wallet.query.StoreReadModel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wallet book through the topology: access, refills, plans, numbers on the wall clock, daily
 * usage and the ledger pages, as the topics and stores show them.
 */
class WalletBookTopologyTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path stateDir;

    private WalletDriver wallet;

    @BeforeEach
    void startDriver() {
        Properties overrides = new Properties();
        overrides.put(WalletConfig.PUNCTUATE_INTERVAL_MS, "60000");
        wallet = new WalletDriver(stateDir, WALL_CLOCK, overrides);
        wallet.rebilling(WS, null, true);
    }

    @AfterEach
    void closeDriver() {
        wallet.close();
    }

    @Test
    void shouldPublishAccessOnlyWhenItChangesAndKeyItBySubAccount() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(100_000, "pi_sub", "USD")));

        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        wallet.charges.pipeInput(WS, charge("c-2", 70_000, 73_500));
        wallet.charges.pipeInput(WS, charge("c-3", 70_000, 73_500));
        wallet.commands.pipeInput(WS, command("cmd-3", SUB, topUp(1_000_000, "pi_sub_2", "USD")));

        assertThat(wallet.access.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getState())
                .containsExactly(tuple(SUB, AccessState.ALLOWED), tuple(SUB, AccessState.BLOCKED_SUBACCOUNT_FUNDS),
                        tuple(SUB, AccessState.ALLOWED));
    }

    @Test
    void shouldBlockAndUnblockEverySubAccountWhenOneCallEmptiesTheAgencyWalletAndATopUpRefillsIt() {
        wallet.commands.pipeInput(WS, command("cmd-ws", null, topUp(1_000_000, "pi_ws", "USD")));
        List<String> subAccounts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String subAccountId = String.format("client-%02d", i);
            subAccounts.add(subAccountId);
            wallet.commands.pipeInput(WS, command("cmd-" + subAccountId, subAccountId,
                    topUp(10_000_000, "pi_" + subAccountId, "USD")));
        }
        wallet.charges.pipeInput(WS, charge("c-small", 100_000, 150_000));
        wallet.access.readKeyValuesToList();

        // client-07's call takes the agency wallet to zero: each client's access is decided again.
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "c-empties", 900_000, 1_350_000).setSubAccountId("client-07")
                .build());
        List<KeyValue<String, AccessStatus>> blocked = wallet.access.readKeyValuesToList();
        wallet.commands.pipeInput(WS, command("cmd-ws-2", null, topUp(5_000_000, "pi_ws_2", "USD")));
        List<KeyValue<String, AccessStatus>> allowed = wallet.access.readKeyValuesToList();

        assertThat(blocked).extracting(kv -> kv.key).containsExactlyInAnyOrderElementsOf(subAccounts);
        assertThat(blocked).extracting(kv -> kv.value.getState()).containsOnly(AccessState.BLOCKED_WORKSPACE_FUNDS);
        assertThat(allowed).extracting(kv -> kv.key).containsExactlyInAnyOrderElementsOf(subAccounts);
        assertThat(allowed).extracting(kv -> kv.value.getState()).containsOnly(AccessState.ALLOWED);
        assertThat(wallet.walletsStore().get(WS + "/client-07").getWallet().getBalanceMicros())
                .isEqualTo(10_000_000 - 1_350_000);
        assertThat(wallet.walletsStore().get(WS + "/client-08").getWallet().getBalanceMicros()).isEqualTo(10_000_000);
        assertThat(wallet.walletsStore().get(WS).getWallet().getBalanceMicros()).isEqualTo(5_000_000);
    }

    @Test
    void shouldUnblockAnIdleSubAccountOnTheWallClockOnceReBillingIsTurnedOffForIt() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(100_000, "pi_sub", "USD")));
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 150_000));
        assertThat(wallet.access.readKeyValuesToList()).extracting(kv -> kv.value.getState())
                .containsExactly(AccessState.ALLOWED, AccessState.BLOCKED_SUBACCOUNT_FUNDS);

        wallet.rebilling(WS, SUB, false);
        wallet.driver.advanceWallClockTime(Duration.ofSeconds(61));

        assertThat(wallet.access.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getState())
                .containsExactly(tuple(SUB, AccessState.ALLOWED));
        wallet.driver.advanceWallClockTime(Duration.ofSeconds(61));
        assertThat(wallet.access.isEmpty()).as("published only on change").isTrue();
    }

    @Test
    void shouldRequestARefillOnBillingTopicAndCreditItWhenPaid() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(3_000_000, "pi_sub", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-3", SUB, RefillSettings.newBuilder().setEnabled(true)
                .setCurrency("USD").setThresholdMicros(2_000_000).setTargetBalanceMicros(20_000_000L).build()));

        wallet.charges.pipeInput(WS, charge("c-1", 1_000_000, 1_500_000));
        wallet.charges.pipeInput(WS, charge("c-2", 1_000_000, 1_500_000));

        List<KeyValue<String, RefillRequest>> requests = wallet.refills.readKeyValuesToList();
        assertThat(requests).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(WS);
            assertThat(kv.value.getRequestId()).isEqualTo("refill:ws-1/sub-1:1");
            assertThat(kv.value.getWalletId()).isEqualTo("ws-1/sub-1");
            assertThat(kv.value.getSubAccountId()).isEqualTo(SUB);
            assertThat(kv.value.getAmountMicros()).isEqualTo(20_000_000 - 1_500_000);
            assertThat(kv.value.getCurrency()).isEqualTo("USD");
        });

        TopUp paid = TopUp.newBuilder().setAmountMicros(18_500_000).setCurrency("USD").setPaymentReference("pi_123")
                .setRefillRequestId("refill:ws-1/sub-1:1").build();
        wallet.commands.pipeInput(WS, command("cmd-4", SUB, paid));

        // Requested at $1.50 to reach $20; the second call took the other $1.50 before the payment landed.
        assertThat(wallet.balances.readKeyValuesToMap().get("ws-1/sub-1").getBalanceMicros()).isEqualTo(18_500_000);
        assertThat(wallet.refills.isEmpty()).as("no second request: the balance is above the threshold").isTrue();
    }

    @Test
    void shouldAskAgainOnTheWallClockOnceTheBackOffAfterADeclineHasPassed() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(3_000_000, "pi_sub", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-3", SUB, RefillSettings.newBuilder().setEnabled(true)
                .setCurrency("USD").setThresholdMicros(2_000_000).setRefillAmountMicros(5_000_000L).build()));
        wallet.charges.pipeInput(WS, charge("c-1", 1_000_000, 1_500_000));
        String first = wallet.refills.readValue().getRequestId();

        wallet.commands.pipeInput(WS, command("cmd-4", SUB, RefillFailed.newBuilder().setRefillRequestId(first)
                .setFailureCode("card_declined").setDeclineCode("insufficient_funds").build()));
        wallet.driver.advanceWallClockTime(Duration.ofMinutes(30));
        assertThat(wallet.refills.isEmpty()).as("no request during the back-off").isTrue();
        wallet.driver.advanceWallClockTime(Duration.ofMinutes(31));

        assertThat(wallet.refills.readValue().getRequestId()).isEqualTo("refill:ws-1/sub-1:2");
    }

    @Test
    void shouldChargeOnlyOverageOnceAPlanFromWalletPlansCoversMinutes() {
        wallet.publishPlan(Plan.newBuilder().setPlanId("pro").setVersion(2).setName("Pro").setIncludedMinutes(1)
                .setPriceMicros(97_000_000).setCurrency("USD").setPublishedAt(WALL_CLOCK).build());
        wallet.commands.pipeInput(WS, command("cmd-1", SUB, PlanSubscription.newBuilder().setPlanId("pro")
                .setPlanVersion(2).setCycleAnchor(WALL_CLOCK).build()));

        // 120 billed seconds, 60 of them covered by the plan's one minute: the sub-account pays half.
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "c-1", 140_000, 147_000).setBillableQuantity(120).build());

        assertThat(wallet.ledger.readValuesToList()).extracting(LedgerEntry::getWalletId, LedgerEntry::getAmountMicros)
                .containsExactly(tuple("ws-1", -140_000L), tuple("ws-1/sub-1", -73_500L));
        assertThat(wallet.allowancesStore().get(WalletStores.subAccountKey(WS, SUB)).getPlanSeconds()).isZero();
    }

    @Test
    void shouldRejectASubscriptionToAPlanNotOnWalletPlans() {
        wallet.commands.pipeInput(WS, command("cmd-1", SUB, PlanSubscription.newBuilder().setPlanId("ghost")
                .setPlanVersion(1).setCycleAnchor(WALL_CLOCK).build()));

        assertThat(wallet.rejected.readValue().getReasonCode()).isEqualTo("UNKNOWN_PLAN");
    }

    @Test
    void shouldAddAnAddOnBundleToTheAllowance() {
        wallet.commands.pipeInput(WS, command("cmd-1", SUB, AllowanceGrant.newBuilder().setKind(AllowanceKind.ADD_ON)
                .setName("Nexus").setMinutes(300).build()));

        assertThat(wallet.allowancesStore().get(WalletStores.subAccountKey(WS, SUB)).getAddOnSeconds())
                .isEqualTo(300 * 60);
    }

    @Test
    void shouldRenewANumberOnTheWallClockAndReleaseItAfterTheGracePeriodWhenUnpaid() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(1_500_000, "pi_sub", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-3", SUB, PhoneNumberCommand.newBuilder().setNumber("+14155550100")
                .setAction(PhoneNumberAction.PURCHASE).setMonthlyFeeMicros(1_150_000).setCurrency("USD").build()));
        assertThat(wallet.numbers.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getState())
                .containsExactly(tuple("+14155550100", NumberState.ACTIVE));
        wallet.ledger.readValuesToList();

        // A month on, the sub-account has $0.2925 left: not enough for $1.2075, the number goes on hold.
        wallet.driver.advanceWallClockTime(Duration.ofDays(31));
        assertThat(wallet.numbers.readValuesToList()).extracting(PhoneNumberStatus::getState)
                .containsExactly(NumberState.ON_HOLD);
        wallet.driver.advanceWallClockTime(Duration.ofDays(8));

        assertThat(wallet.numbers.readValuesToList()).extracting(PhoneNumberStatus::getState, PhoneNumberStatus::getReason)
                .containsExactly(tuple(NumberState.RELEASED, "unpaid renewal"));
        assertThat(wallet.ledger.readValuesToList()).extracting(LedgerEntry::getKind)
                .doesNotContain(LedgerEntryKind.NUMBER_FEE);
    }

    @Test
    void shouldRenewANumberForTheSubAccountThatPaysForItWhenTheWorkspaceAsks() {
        // No punctuation within the test, so the workspace's RENEW command is what renews the number.
        wallet.close();
        Properties overrides = new Properties();
        overrides.put(WalletConfig.PUNCTUATE_INTERVAL_MS, Long.toString(Duration.ofDays(100).toMillis()));
        wallet = new WalletDriver(stateDir.resolve("no-punctuation"), WALL_CLOCK, overrides);
        wallet.rebilling(WS, null, true);
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(5_000_000, "pi_sub", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-3", SUB, PhoneNumberCommand.newBuilder().setNumber("+14155550100")
                .setAction(PhoneNumberAction.PURCHASE).setMonthlyFeeMicros(1_150_000).setCurrency("USD").build()));
        wallet.numbers.readValuesToList();
        wallet.driver.advanceWallClockTime(Duration.ofDays(31));

        // The command names no sub-account; the number's own payer must still be loaded and charged.
        wallet.commands.pipeInput(WS, command("cmd-4", null, PhoneNumberCommand.newBuilder().setNumber("+14155550100")
                .setAction(PhoneNumberAction.RENEW).setMonthlyFeeMicros(1_150_000).setCurrency("USD").build()));

        assertThat(wallet.numbers.readValuesToList()).extracting(PhoneNumberStatus::getState)
                .containsExactly(NumberState.ACTIVE);
        // Two months at $1.15 cost and $1.2075 price (1.05x).
        assertThat(wallet.walletsStore().get(WS + "/" + SUB).getWallet().getBalanceMicros())
                .isEqualTo(5_000_000 - 2 * 1_207_500);
        assertThat(wallet.walletsStore().get(WS).getWallet().getBalanceMicros()).isEqualTo(10_000_000 - 2 * 1_150_000);
    }

    @Test
    void shouldPublishDailyUsageNetOfReversalsPerSubAccountDayAndType() {
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        wallet.charges.pipeInput(WS, charge("c-2", 30_000, 31_500));
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "reversal:c-2", -30_000, -31_500).setBillableQuantity(-60)
                .setKind(io.rebill.schemas.rating.ChargeKind.REVERSAL).setReversesChargeId("c-2").build());

        List<KeyValue<String, DailyUsage>> rows = wallet.usageDaily.readKeyValuesToList();
        KeyValue<String, DailyUsage> latest = rows.get(rows.size() - 1);
        assertThat(latest.key).isEqualTo("ws-1/sub-1/2026-03-01/VOICE_AI");
        assertThat(latest.value.getDay()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(latest.value.getUsageType()).isEqualTo(UsageType.VOICE_AI);
        assertThat(latest.value.getUnits()).isEqualTo(60);
        assertThat(latest.value.getCharges()).isEqualTo(1);
        assertThat(latest.value.getCostMicros()).isEqualTo(70_000);
        assertThat(latest.value.getPriceMicros()).isEqualTo(73_500);
        assertThat(latest.value.getMarginMicros()).isEqualTo(3_500);
    }

    @Test
    void shouldKeepEachEntryInTheSlotOfItsSequenceForLedgerPages() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));

        KeyValueStore<String, RecentLedgerEntry> ledger = wallet.driver.getKeyValueStore(WalletStores.LEDGER);
        assertThat(ledger.get(WalletStores.ledgerSlotKey("ws-1", 1)).getEntry().getKind())
                .isEqualTo(LedgerEntryKind.TOP_UP);
        assertThat(ledger.get(WalletStores.ledgerSlotKey("ws-1", 2)).getEntry().getEntryId()).isEqualTo("c-1/workspace");
        assertThat(ledger.get(WalletStores.ledgerSlotKey("ws-1/sub-1", 1)).getEntry().getEntryId())
                .isEqualTo("c-1/sub-account");
        assertThat(ledger.get(WalletStores.ledgerSlotKey("ws-1", 2)).getSequence()).isEqualTo(2);
    }

    @Test
    void shouldPageTheLatestEntriesWhileNewerEntriesTakeOverTheOldestSlots() {
        int kept = WalletStores.LEDGER_ENTRIES_KEPT;
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(1_000_000_000, "pi_ws", "USD")));
        int charges = kept + 20;
        for (int i = 1; i <= charges; i++) {
            wallet.charges.pipeInput(WS, charge("c-" + i, 1_000, 1_000));
        }
        KeyValueStore<String, RecentLedgerEntry> slots = wallet.driver.getKeyValueStore(WalletStores.LEDGER);
        long entries = charges + 1; // the top-up, then one debit per charge
        assertThat(slots.get(WalletStores.ledgerSlotKey("ws-1", 1)).getSequence()).isEqualTo(1 + kept);

        LedgerPage newest = StoreReadModel.ledgerPage(slots, "ws-1", entries, 3, null);
        assertThat(newest.entries()).extracting(LedgerPage.Line::sequence)
                .containsExactly(entries, entries - 1, entries - 2);
        assertThat(newest.entries()).extracting(LedgerPage.Line::entryId)
                .containsExactly("c-" + charges + "/workspace", "c-" + (charges - 1) + "/workspace",
                        "c-" + (charges - 2) + "/workspace");
        assertThat(newest.nextBefore()).isEqualTo(entries - 2);

        List<Long> walked = new ArrayList<>();
        Long before = null;
        do {
            LedgerPage page = StoreReadModel.ledgerPage(slots, "ws-1", entries, 50, before);
            page.entries().forEach(line -> walked.add(line.sequence()));
            before = page.nextBefore();
        } while (before != null);
        assertThat(walked).hasSize(kept).startsWith(entries).endsWith(entries - kept + 1);
        assertThat(walked).isSortedAccordingTo(Comparator.reverseOrder());

        LedgerPage beyondKept = StoreReadModel.ledgerPage(slots, "ws-1", entries, 50, entries - kept + 1);
        assertThat(beyondKept.entries()).isEmpty();
        assertThat(beyondKept.nextBefore()).isNull();
        // A page asked for past the newest entry starts at the newest.
        assertThat(StoreReadModel.ledgerPage(slots, "ws-1", entries, 1, entries + 10).entries().get(0).sequence())
                .isEqualTo(entries);
    }

    @Test
    void shouldAnswerAccessFromTheGlobalStoreOnEveryInstance() {
        wallet.commands.pipeInput(WS, command("cmd-1", SUB, topUp(100_000, "pi_sub", "USD")));

        KeyValueStore<String, Object> access = wallet.driver.getKeyValueStore(WalletTopology.ACCESS_STORE);
        Object stored = access.get(SUB);
        assertThat(io.rebill.streams.StoreValues.unwrap(stored, AccessStatus.class).getState())
                .isEqualTo(AccessState.BLOCKED_WORKSPACE_FUNDS);
    }
}
