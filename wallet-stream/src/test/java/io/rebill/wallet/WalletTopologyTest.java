package io.rebill.wallet;

import static io.rebill.wallet.WalletFixtures.EVENT;
import static io.rebill.wallet.WalletFixtures.SUB;
import static io.rebill.wallet.WalletFixtures.WS;
import static io.rebill.wallet.WalletFixtures.charge;
import static io.rebill.wallet.WalletFixtures.chargeBuilder;
import static io.rebill.wallet.WalletFixtures.command;
import static io.rebill.wallet.WalletFixtures.notRebilledCharge;
import static io.rebill.wallet.WalletFixtures.topUp;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.Adjustment;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.LedgerEntryKind;
import io.rebill.schemas.wallet.ManualCredit;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.schemas.wallet.WalletStatus;
import io.rebill.schemas.wallet.WalletType;
import io.rebill.schemas.wallet.state.WalletState;
import io.rebill.schemas.wallet.state.WalletAccount;
import io.rebill.wallet.ledger.WalletIds;
import io.rebill.wallet.processor.WalletProcessor;
import io.rebill.wallet.processor.WalletStores;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wallet topology end to end in a TopologyTestDriver, with the production (exactly-once) config. */
class WalletTopologyTest {

    private static final String WORKSPACE_WALLET = WalletIds.workspace(WS);
    private static final String SUB_WALLET = WalletIds.subAccount(WS, SUB);
    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");
    private static final String DESCRIPTION =
            "VOICE_AI 60 SECOND billable, rate us-voice-ai v3, from cdr:carrier/c-1/v1";

    @TempDir
    Path stateDir;

    private WalletDriver wallet;

    @BeforeEach
    void startDriver() {
        wallet = new WalletDriver(stateDir, WALL_CLOCK, new Properties());
    }

    @AfterEach
    void closeDriver() {
        wallet.close();
    }

    @Test
    void shouldDebitBothWalletsWithExactLedgerEntriesAndBalancesWhenChargeIsRebilled() {
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));

        assertThat(wallet.ledger.readKeyValuesToList()).containsExactly(
                KeyValue.pair(WS, LedgerEntry.newBuilder()
                        .setEntryId("c-1/workspace").setWalletId(WORKSPACE_WALLET).setWorkspaceId(WS)
                        .setSubAccountId(null).setWalletType(WalletType.WORKSPACE).setKind(LedgerEntryKind.USAGE)
                        .setAmountMicros(-70_000).setBalanceAfterMicros(-70_000).setCurrency("USD")
                        .setReference("c-1").setDescription(DESCRIPTION).setOccurredAt(EVENT)
                        .setRecordedAt(WALL_CLOCK).build()),
                KeyValue.pair(WS, LedgerEntry.newBuilder()
                        .setEntryId("c-1/sub-account").setWalletId(SUB_WALLET).setWorkspaceId(WS)
                        .setSubAccountId(SUB).setWalletType(WalletType.SUB_ACCOUNT).setKind(LedgerEntryKind.USAGE)
                        .setAmountMicros(-73_500).setBalanceAfterMicros(-73_500).setCurrency("USD")
                        .setReference("c-1").setDescription(DESCRIPTION).setOccurredAt(EVENT)
                        .setRecordedAt(WALL_CLOCK).build()));
        assertThat(wallet.balances.readKeyValuesToList()).containsExactly(
                KeyValue.pair(WORKSPACE_WALLET, WalletBalance.newBuilder()
                        .setWalletId(WORKSPACE_WALLET).setWorkspaceId(WS).setSubAccountId(null)
                        .setWalletType(WalletType.WORKSPACE).setCurrency("USD").setBalanceMicros(-70_000)
                        .setStatus(WalletStatus.EMPTY).setEntryCount(1).setLastEntryId("c-1/workspace")
                        .setUpdatedAt(WALL_CLOCK).build()),
                KeyValue.pair(SUB_WALLET, WalletBalance.newBuilder()
                        .setWalletId(SUB_WALLET).setWorkspaceId(WS).setSubAccountId(SUB)
                        .setWalletType(WalletType.SUB_ACCOUNT).setCurrency("USD").setBalanceMicros(-73_500)
                        .setStatus(WalletStatus.EMPTY).setEntryCount(1).setLastEntryId("c-1/sub-account")
                        .setUpdatedAt(WALL_CLOCK).build()));
        assertThat(wallet.rejected.isEmpty()).isTrue();
    }

    @Test
    void shouldLeaveBothWalletsWhereTheCorrectedRecordPutsThemWhenACorrectionArrives() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(5_000_000, "pi_sub", "USD")));
        wallet.charges.pipeInput(WS, charge("cdr:c:1:v1", 70_000, 73_500));
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "reversal:cdr:c:1:v1", -70_000, -73_500)
                .setKind(io.rebill.schemas.rating.ChargeKind.REVERSAL).setReversesChargeId("cdr:c:1:v1").build());
        wallet.charges.pipeInput(WS, charge("cdr:c:1:v2", 140_000, 147_000));

        Map<String, Long> balances = new HashMap<>();
        wallet.balances.readKeyValuesToList().forEach(kv -> balances.put(kv.key, kv.value.getBalanceMicros()));
        assertThat(balances).containsEntry(WORKSPACE_WALLET, 10_000_000L - 140_000)
                .containsEntry(SUB_WALLET, 5_000_000L - 147_000);
        assertThat(wallet.ledger.readValuesToList()).extracting(LedgerEntry::getKind)
                .containsExactly(LedgerEntryKind.TOP_UP, LedgerEntryKind.TOP_UP, LedgerEntryKind.USAGE,
                        LedgerEntryKind.USAGE, LedgerEntryKind.REVERSAL, LedgerEntryKind.REVERSAL,
                        LedgerEntryKind.USAGE, LedgerEntryKind.USAGE);
    }

    @Test
    void shouldApplyNothingForUsageRecordedAsNotBillable() {
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "msg:e-2", 0, 0).setBillable(false).setRebilled(false)
                .setCurrency("XXX").build());

        assertThat(wallet.ledger.isEmpty()).isTrue();
        assertThat(wallet.balances.isEmpty()).isTrue();
        assertThat(wallet.rejected.isEmpty()).isTrue();
    }

    @Test
    void shouldChangeNothingWhenSameChargeIdArrivesTwice() {
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        wallet.ledger.readRecordsToList();
        wallet.balances.readRecordsToList();
        WalletAccount workspaceAfterFirst = wallet.walletsStore().get(WS);
        WalletAccount subAccountAfterFirst = wallet.walletsStore().get(WS + "/" + SUB);

        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));

        assertThat(wallet.ledger.isEmpty()).as("ledger output for a charge applied before").isTrue();
        assertThat(wallet.balances.isEmpty()).as("balance output for a charge applied before").isTrue();
        assertThat(wallet.rejected.isEmpty()).isTrue();
        assertThat(wallet.walletsStore().get(WS)).isEqualTo(workspaceAfterFirst);
        assertThat(wallet.walletsStore().get(WS + "/" + SUB)).isEqualTo(subAccountAfterFirst);
        assertThat(wallet.appliedChargesStore().get("c-1").getAppliedAt()).isEqualTo(WALL_CLOCK);
    }

    @Test
    void shouldLeaveExactBalancesWhenChargesFollowTopUps() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(5_000_000, "pi_sub", "USD")));

        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        wallet.charges.pipeInput(WS, charge("c-2", 140_000, 147_000));
        wallet.charges.pipeInput(WS, notRebilledCharge("c-3", 7_000));

        Map<String, WalletBalance> latest = wallet.balances.readKeyValuesToMap();
        WalletBalance workspace = latest.get(WORKSPACE_WALLET);
        WalletBalance subAccount = latest.get(SUB_WALLET);
        assertThat(workspace.getBalanceMicros()).isEqualTo(10_000_000 - 70_000 - 140_000 - 7_000);
        assertThat(workspace.getEntryCount()).isEqualTo(4);
        assertThat(workspace.getLastEntryId()).isEqualTo("c-3/workspace");
        assertThat(workspace.getStatus()).isEqualTo(WalletStatus.ACTIVE);
        assertThat(subAccount.getBalanceMicros()).isEqualTo(5_000_000 - 73_500 - 147_000);
        assertThat(subAccount.getEntryCount()).isEqualTo(3);
        assertThat(subAccount.getLastEntryId()).isEqualTo("c-2/sub-account");
    }

    @Test
    void shouldApplyCommandOnceWhenCommandIdArrivesTwice() {
        wallet.commands.pipeInput(WS, command("cmd-1", SUB, topUp(5_000_000, "pi_1", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-1", SUB, topUp(5_000_000, "pi_1", "USD")));

        List<LedgerEntry> entries = wallet.ledger.readValuesToList();
        assertThat(entries).extracting(LedgerEntry::getEntryId).containsExactly("cmd-1");
        assertThat(entries.get(0).getKind()).isEqualTo(LedgerEntryKind.TOP_UP);
        assertThat(entries.get(0).getDescription()).contains("pi_1");
        assertThat(wallet.balances.readValuesToList()).extracting(WalletBalance::getBalanceMicros)
                .containsExactly(5_000_000L);
        assertThat(wallet.walletsStore().get(WS + "/" + SUB).getWallet().getBalanceMicros()).isEqualTo(5_000_000);
    }

    @Test
    void shouldKeepLedgerSumPerWalletEqualToLatestBalanceWhenSequenceIsMixed() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(2_000_000, "pi_1", "USD")));
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, new ManualCredit(1_000_000L, "USD", "welcome credit")));
        wallet.charges.pipeInput(WS, charge("c-2", 35_000, 36_750));
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        wallet.commands.pipeInput(WS, command("cmd-3", SUB, new Adjustment(-10_000L, "USD", "refund reversed")));
        wallet.charges.pipeInput(WS, notRebilledCharge("c-3", 12_000));
        wallet.charges.pipeInput("ws-2", chargeBuilder("ws-2", "c-4", 5_000, 6_000).build());
        wallet.commands.pipeInput(WS, command("cmd-4", SUB, topUp(1_000_000, "pi_eur", "EUR")));

        Map<String, Long> ledgerSums = new HashMap<>();
        wallet.ledger.readValuesToList().forEach(entry ->
                ledgerSums.merge(entry.getWalletId(), entry.getAmountMicros(), Long::sum));
        Map<String, Long> latestBalances = new HashMap<>();
        wallet.balances.readKeyValuesToMap().forEach((walletId, balance) ->
                latestBalances.put(walletId, balance.getBalanceMicros()));

        assertThat(latestBalances).isEqualTo(ledgerSums);
        assertThat(latestBalances)
                .containsEntry(WORKSPACE_WALLET, 2_000_000L - 70_000L - 35_000L - 12_000L)
                .containsEntry(SUB_WALLET, 1_000_000L - 73_500L - 36_750L - 10_000L)
                .containsEntry(WalletIds.subAccount("ws-2", SUB), -6_000L);
    }

    @Test
    void shouldRejectChargeWithReasonAndReplayableCopyWhenCurrencyDiffersFromWallet() {
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        RatedCharge inEuro = chargeBuilder(WS, "c-2", 10_000, 11_000).setCurrency("EUR").build();

        wallet.charges.pipeInput(WS, inEuro);

        TestRecord<String, DeadLetter> record = wallet.rejected.readRecord();
        DeadLetter deadLetter = record.value();
        assertThat(record.key()).isEqualTo(WS);
        assertThat(deadLetter.getReasonCode()).isEqualTo("CURRENCY_MISMATCH");
        assertThat(deadLetter.getReason()).contains("c-2", "EUR", "USD");
        assertThat(deadLetter.getSourceTopic()).isEqualTo(wallet.topics.chargesRated.name());
        assertThat(deadLetter.getSourcePartition()).isEqualTo(0);
        assertThat(deadLetter.getSourceOffset()).isEqualTo(1);
        assertThat(deadLetter.getApplication()).isEqualTo(WalletApp.APPLICATION_ID);
        assertThat(deadLetter.getFailedAt()).isEqualTo(WALL_CLOCK);
        assertThat(bytes(deadLetter.getKey())).isEqualTo(WS.getBytes(UTF_8));
        assertThat(wallet.topics.chargesRated.valueSerde().deserializer()
                .deserialize(wallet.topics.chargesRated.name(), bytes(deadLetter.getValue()))).isEqualTo(inEuro);
        assertThat(wallet.balances.readKeyValuesToMap().get(WORKSPACE_WALLET).getBalanceMicros())
                .as("balance untouched by the rejected charge").isEqualTo(-70_000);
    }

    @Test
    void shouldRejectRefillSettingsTheRulesCannotApplyAsInvalidCommand() {
        RefillSettings settings = RefillSettings.newBuilder().setEnabled(true).setCurrency("USD")
                .setThresholdMicros(1_000_000).build();

        wallet.commands.pipeInput(WS, command("cmd-1", SUB, settings));

        DeadLetter deadLetter = wallet.rejected.readValue();
        assertThat(deadLetter.getReasonCode()).isEqualTo("INVALID_COMMAND");
        assertThat(deadLetter.getReason()).contains("cmd-1", "refill amount or a target balance");
        assertThat(deadLetter.getSourceTopic()).isEqualTo(wallet.topics.walletCommands.name());
        assertThat(wallet.ledger.isEmpty()).isTrue();
        assertThat(wallet.walletsStore().get(WS)).isNull();
    }

    @Test
    void shouldRejectChargeAsMissingKeyWhenRecordHasNoKey() {
        wallet.charges.pipeInput((String) null, charge("c-1", 70_000, 73_500));

        DeadLetter deadLetter = wallet.rejected.readValue();
        assertThat(deadLetter.getReasonCode()).isEqualTo(WalletProcessor.MISSING_KEY);
        assertThat(deadLetter.getKey()).isNull();
        assertThat(wallet.ledger.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepEachWalletOfWorkspaceInItsOwnStoreEntryUnderItsWalletId() {
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));

        KeyValueStore<String, WalletAccount> store = wallet.walletsStore();
        assertThat(store.approximateNumEntries()).isEqualTo(2);
        assertThat(store.get(WS)).isEqualTo(new WalletAccount(WalletState.newBuilder().setCurrency("USD")
                .setBalanceMicros(-70_000).setEntryCount(1).setLastEntryId("c-1/workspace")
                .setUpdatedAt(WALL_CLOCK).build(), null));
        assertThat(store.get(WS + "/" + SUB)).isEqualTo(new WalletAccount(WalletState.newBuilder().setCurrency("USD")
                .setBalanceMicros(-73_500).setEntryCount(1).setLastEntryId("c-1/sub-account")
                .setUpdatedAt(WALL_CLOCK).build(), "BLOCKED_WORKSPACE_FUNDS"));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
