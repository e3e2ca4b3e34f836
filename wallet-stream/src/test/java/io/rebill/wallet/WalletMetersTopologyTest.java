package io.rebill.wallet;

import static io.rebill.wallet.WalletFixtures.SUB;
import static io.rebill.wallet.WalletFixtures.WS;
import static io.rebill.wallet.WalletFixtures.charge;
import static io.rebill.wallet.WalletFixtures.chargeBuilder;
import static io.rebill.wallet.WalletFixtures.command;
import static io.rebill.wallet.WalletFixtures.topUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.wallet.processor.WalletMeters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wallet processor moves {@link WalletMeters}' counters and the on-hold gauge reads the access store. */
class WalletMetersTopologyTest {

    private static final Instant WALL_CLOCK = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WalletDriver wallet;

    @BeforeEach
    void startDriver() {
        WalletMeters meters = new WalletMeters(registry);
        wallet = new WalletDriver(stateDir, WALL_CLOCK, new Properties(), meters);
        meters.countDeadLetters(wallet.driver, TopologyTestDriver::metrics);
        KeyValueStore<String, Object> access = wallet.driver.getKeyValueStore(WalletTopology.ACCESS_STORE);
        meters.gaugeOnHold(() -> WalletMeters.countOnHold(access));
        wallet.rebilling(WS, null, true);
    }

    @AfterEach
    void closeDriver() {
        wallet.close();
    }

    @Test
    void shouldCountChargesAppliedButNotTheSameChargeTwice() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(10_000_000, "pi_ws", "USD")));

        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));
        wallet.charges.pipeInput(WS, charge("c-2", 70_000, 73_500));
        wallet.charges.pipeInput(WS, charge("c-2", 70_000, 73_500));

        assertThat(registry.get(WalletMeters.CHARGES_APPLIED).counter().count()).isEqualTo(2.0);
        assertThat(registry.find(WalletMeters.REJECTED).counters()).isEmpty();
    }

    @Test
    void shouldCountRejectionsByReasonCode() {
        wallet.charges.pipeInput(WS, charge("c-1", 70_000, 73_500));

        wallet.charges.pipeInput(WS, chargeBuilder(WS, "c-2", 10_000, 11_000).setCurrency("EUR").build());
        wallet.charges.pipeInput(null, charge("c-3", 10_000, 11_000));

        assertThat(registry.get(WalletMeters.REJECTED).tag("reason", "CURRENCY_MISMATCH").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(WalletMeters.REJECTED).tag("reason", "MISSING_KEY").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(WalletMeters.CHARGES_APPLIED).counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldCountTheRefillRequestedAndTheSubAccountOnHoldAfterItFails() {
        wallet.commands.pipeInput(WS, command("cmd-1", null, topUp(100_000_000, "pi_ws", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-2", SUB, topUp(1_000_000, "pi_sub", "USD")));
        wallet.commands.pipeInput(WS, command("cmd-3", SUB, RefillSettings.newBuilder().setEnabled(true)
                .setCurrency("USD").setThresholdMicros(500_000).setRefillAmountMicros(20_000_000L).build()));
        assertThat(registry.get(WalletMeters.SUB_ACCOUNTS_ON_HOLD).gauge().value()).isZero();

        wallet.charges.pipeInput(WS, charge("c-1", 500_000, 1_000_000));
        String requestId = wallet.refills.readValue().getRequestId();
        assertThat(registry.get(WalletMeters.REFILLS_REQUESTED).counter().count()).isEqualTo(1.0);

        wallet.commands.pipeInput(WS, command("cmd-4", SUB, RefillFailed.newBuilder().setRefillRequestId(requestId)
                .setFailureCode("card_declined").setDeclineCode("insufficient_funds").build()));

        assertThat(wallet.access.readValuesToList()).last()
                .satisfies(status -> assertThat(status.getState()).isEqualTo(AccessState.ON_HOLD));
        assertThat(registry.get(WalletMeters.SUB_ACCOUNTS_ON_HOLD).gauge().value()).isEqualTo(1.0);

        wallet.commands.pipeInput(WS, command("cmd-5", SUB, topUp(5_000_000, "pi_sub_2", "USD")));
        assertThat(registry.get(WalletMeters.SUB_ACCOUNTS_ON_HOLD).gauge().value())
                .as("a top-up lifts the hold").isZero();
    }

    @Test
    void shouldCountUnreadableChargesAsDeadLetters() {
        wallet.rawCharges.pipeInput(WS.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 42, 1, 2, 3});

        assertThat(registry.get(WalletMeters.DEAD_LETTERS).functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get(WalletMeters.CHARGES_APPLIED).counter().count()).isZero();
    }
}
