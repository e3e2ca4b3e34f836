package io.rebill.wallet;

import static io.rebill.wallet.WalletFixtures.SUB;
import static io.rebill.wallet.WalletFixtures.WS;
import static io.rebill.wallet.WalletFixtures.chargeBuilder;
import static io.rebill.wallet.WalletFixtures.command;
import static io.rebill.wallet.WalletFixtures.topUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.rating.ChargeKind;
import io.rebill.schemas.wallet.state.WorkspaceDayUsage;
import io.rebill.wallet.processor.WalletProcessor;
import io.rebill.wallet.processor.WalletStores;
import io.rebill.wallet.query.PeriodTotals;
import io.rebill.wallet.query.StoreReadModel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sub-account view's re-billing flag and period totals, read by {@link StoreReadModel}'s code
 * from the stores the real topology wrote.
 */
class SubAccountFiguresStoreTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-03-05T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(8);

    @TempDir
    Path stateDir;

    private WalletDriver wallet;

    @BeforeEach
    void startDriver() {
        Properties overrides = new Properties();
        overrides.put(WalletConfig.DAILY_USAGE_RETENTION_MS, String.valueOf(RETENTION.toMillis()));
        wallet = new WalletDriver(stateDir, WALL_CLOCK, overrides);
        wallet.rebilling(WS, null, true);
        wallet.commands.pipeInput(WS, command("cmd-ws", null, topUp(100_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-sub", SUB, topUp(100_000_000, "pi_sub", "USD")));
    }

    @AfterEach
    void closeDriver() {
        wallet.close();
    }

    @Test
    void shouldSumThisMonthsDailyUsageOfTheSubAccountFromTheDailyUsageStore() {
        wallet.charges.pipeInput(WS, charge("feb-28", "2026-02-28T10:00:00Z", 1_000_000, 2_000_000));
        wallet.charges.pipeInput(WS, charge("mar-03", "2026-03-03T10:00:00Z", 70_000, 73_500));
        wallet.charges.pipeInput(WS, charge("mar-04", "2026-03-04T10:00:00Z", 30_000, 31_500));
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "reversal:mar-04", -30_000, -31_500).setBillableQuantity(-60)
                .setKind(ChargeKind.REVERSAL).setReversesChargeId("mar-04")
                .setEventTime(Instant.parse("2026-03-04T10:00:00Z")).build());
        wallet.charges.pipeInput(WS, charge("mar-05", "2026-03-05T11:00:00Z", 200_000, 210_000));
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "other", 5_000_000, 6_000_000).setSubAccountId("sub-2")
                .setEventTime(Instant.parse("2026-03-05T11:00:00Z")).build());

        WindowStore<String, WorkspaceDayUsage> store = wallet.driver.getWindowStore(WalletStores.DAILY_USAGE);
        PeriodTotals period = PeriodTotals.fromStore(store, WS, SUB, WALL_CLOCK, RETENTION);

        // February's charge is in the aggregate but not in March; the reversal cancels its charge.
        assertThat(period.period()).isEqualTo("2026-03");
        assertThat(period.from()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(period.to()).isEqualTo(LocalDate.of(2026, 3, 5));
        assertThat(period.complete()).isTrue();
        assertThat(period.currency()).isEqualTo("USD");
        assertThat(period.charges()).isEqualTo(2);
        assertThat(period.cost()).isEqualTo("0.270000");
        assertThat(period.price()).isEqualTo("0.283500");
        assertThat(period.margin()).isEqualTo("0.013500");
    }

    @Test
    void shouldCountNoPriceForUsageThatIsNotRebilled() {
        wallet.rebilling(WS, SUB, false);
        wallet.charges.pipeInput(WS, chargeBuilder(WS, "gym-call", 353_027_116L, 0).setRebilled(false)
                .setMultiplierBasisPoints(10_000).setEventTime(Instant.parse("2026-03-02T10:00:00Z")).build());

        PeriodTotals period = PeriodTotals.fromStore(wallet.driver.getWindowStore(WalletStores.DAILY_USAGE), WS, SUB,
                WALL_CLOCK, RETENTION);

        assertThat(period.cost()).isEqualTo("353.027116");
        assertThat(period.price()).isEqualTo("0.000000");
        assertThat(period.margin()).isEqualTo("-353.027116");
    }

    @Test
    void shouldTellReBillingFromTheSubAccountsOwnSettingsElseTheWorkspaceDefaults() {
        wallet.rebilling(WS, "acme-gym", false);
        wallet.rebilling("ws-2", "only-own", true);

        KeyValueStore<String, Object> settings = wallet.driver.getKeyValueStore(WalletProcessor.SETTINGS_STORE);

        assertThat(StoreReadModel.rebilled(settings, WS, SUB)).isTrue();
        assertThat(StoreReadModel.rebilled(settings, WS, "acme-gym")).isFalse();
        assertThat(StoreReadModel.rebilled(settings, "ws-2", "only-own")).isTrue();
        assertThat(StoreReadModel.rebilled(settings, "ws-2", "other")).isNull();
        assertThat(StoreReadModel.rebilled(settings, "no-settings", SUB)).isNull();
    }

    private static io.rebill.schemas.rating.RatedCharge charge(String id, String eventTime, long cost, long price) {
        return chargeBuilder(WS, id, cost, price).setEventTime(Instant.parse(eventTime)).build();
    }
}
