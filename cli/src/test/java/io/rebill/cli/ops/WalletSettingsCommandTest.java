package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.WalletCommand;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WalletSettingsCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final List<WalletCommand> sent = new ArrayList<>();
    private boolean opened;

    @Test
    void shouldWriteRefillByAmountSettingsKeyedToTheWallet() {
        CliRun run = run("wallet", "settings", "--workspace", "acme-agency", "--sub-account", "acme-law",
                "--currency", "usd", "--threshold", "10", "--refill-amount", "50.25", "--monthly-cap", "200",
                "--offline");

        assertThat(run.exitCode).as(run.toString()).isZero();
        WalletCommand command = sent.get(0);
        assertThat(command.getWorkspaceId()).isEqualTo("acme-agency");
        assertThat(command.getSubAccountId()).isEqualTo("acme-law");
        assertThat(command.getIssuedAt()).isEqualTo(NOW);
        assertThat(command.getIssuedBy()).isEqualTo("rebill-cli");
        assertThat(command.getCommandId()).matches("refill-settings:acme-agency/acme-law:" + NOW.toEpochMilli()
                + ":[0-9a-f]{8}");
        assertThat(command.getPayload()).isEqualTo(RefillSettings.newBuilder().setEnabled(true).setCurrency("USD")
                .setThresholdMicros(10_000_000L).setRefillAmountMicros(50_250_000L).setTargetBalanceMicros(null)
                .setMonthlyCapMicros(200_000_000L).setOfflinePayment(true).build());
        assertThat(run.out).isEqualTo("set auto-refill: below USD 10, refill by USD 50.25, at most USD 200 a month, "
                + "paid offline for wallet acme-agency/acme-law as command " + command.getCommandId() + "\n");
    }

    @Test
    void shouldWriteRefillToTargetSettingsForTheWorkspaceWallet() {
        CliRun run = run("wallet", "settings", "--workspace", "nova-media", "--currency", "EUR", "--threshold", "0",
                "--target-balance", "100");

        assertThat(run.exitCode).as(run.toString()).isZero();
        RefillSettings settings = (RefillSettings) sent.get(0).getPayload();
        assertThat(sent.get(0).getSubAccountId()).isNull();
        assertThat(settings.getEnabled()).isTrue();
        assertThat(settings.getThresholdMicros()).isZero();
        assertThat(settings.getTargetBalanceMicros()).isEqualTo(100_000_000L);
        assertThat(settings.getRefillAmountMicros()).isNull();
        assertThat(settings.getMonthlyCapMicros()).isNull();
        assertThat(settings.getOfflinePayment()).isFalse();
        assertThat(run.out).startsWith("set auto-refill: below EUR 0, refill up to EUR 100 for wallet nova-media as");
    }

    @Test
    void shouldTurnAutoRefillOffWithDisable() {
        CliRun run = run("wallet", "settings", "--workspace", "nova-media", "--sub-account", "nova-cafe",
                "--currency", "USD", "--disable");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(sent.get(0).getPayload()).isEqualTo(RefillSettings.newBuilder().setEnabled(false)
                .setCurrency("USD").setThresholdMicros(0).build());
        assertThat(run.out).startsWith("turned auto-refill off for wallet nova-media/nova-cafe as command "
                + "refill-settings:nova-media/nova-cafe:");
    }

    @Test
    void shouldGiveTheSameCommandIdForTheSameSettingsAtTheSameTimeAndAnotherForOtherSettings() {
        run("wallet", "settings", "--workspace", "ws", "--currency", "USD", "--threshold", "5", "--refill-amount", "20");
        run("wallet", "settings", "--workspace", "ws", "--currency", "USD", "--threshold", "5", "--refill-amount", "20");
        run("wallet", "settings", "--workspace", "ws", "--currency", "USD", "--threshold", "5", "--refill-amount", "25");

        assertThat(sent).hasSize(3);
        assertThat(sent.get(1).getCommandId()).isEqualTo(sent.get(0).getCommandId());
        assertThat(sent.get(2).getCommandId()).isNotEqualTo(sent.get(0).getCommandId());
    }

    @Test
    void shouldRefuseInvalidSettingsWithExitCode2AndTheRule() {
        assertRefused("give --threshold with --refill-amount or --target-balance to turn auto-refill on, "
                + "or --disable to turn it off", "--currency", "USD");
        assertRefused("--threshold needs --refill-amount or --target-balance", "--currency", "USD", "--threshold", "5");
        assertRefused("give --refill-amount or --target-balance, not both", "--currency", "USD", "--threshold", "5",
                "--refill-amount", "10", "--target-balance", "20");
        assertRefused("--target-balance 5 must be above --threshold 5", "--currency", "USD", "--threshold", "5",
                "--target-balance", "5");
        assertRefused("--refill-amount must be more than 0, was 0", "--currency", "USD", "--threshold", "5",
                "--refill-amount", "0");
        assertRefused("--monthly-cap must be more than 0, was -3", "--currency", "USD", "--threshold", "5",
                "--refill-amount", "10", "--monthly-cap", "-3");
        assertRefused("--threshold must not be negative, was -1", "--currency", "USD", "--threshold", "-1",
                "--refill-amount", "10");
        assertRefused("--threshold: 'ten' is not a decimal amount", "--currency", "USD", "--threshold", "ten",
                "--refill-amount", "10");
        assertRefused("--refill-amount: Amount 1.0000001 has more than 6 decimals or does not fit in micro-units",
                "--currency", "USD", "--threshold", "1", "--refill-amount", "1.0000001");
        assertRefused("--disable turns auto-refill off and takes no --threshold, --offline", "--currency", "USD",
                "--disable", "--threshold", "5", "--offline");
        assertRefused("--currency: 'DOLLAR' is not an ISO 4217 currency code", "--currency", "dollar", "--disable");
        CliRun missingCurrency = run("wallet", "settings", "--workspace", "ws", "--disable");
        assertThat(missingCurrency.exitCode).isEqualTo(2);
        assertThat(missingCurrency.err).contains("Missing required option: '--currency=CODE'");
        assertThat(opened).as("nothing reached Kafka").isFalse();
    }

    @Test
    void shouldExit2WithOneLineWhenKafkaIsNotReachable() throws Exception {
        int port = CliRun.closedPort();

        CliRun run = CliRun.of("wallet", "settings", "--workspace", "ws", "--currency", "USD", "--disable",
                "--bootstrap-servers", "127.0.0.1:" + port);

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: Kafka at 127.0.0.1:" + port + " is not reachable; is `rebill up` running?\n");
    }

    @Test
    void shouldShowTheChoiceBetweenSettingsAndDisableInHelp() {
        CliRun run = CliRun.of("wallet", "settings", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("(--threshold=DECIMAL (--refill-amount=DECIMAL | --target-balance=DECIMAL)")
                .contains("[--monthly-cap=DECIMAL] [--offline] | --disable)").contains("Exit codes:");
    }

    private void assertRefused(String message, String... options) {
        List<String> args = new ArrayList<>(List.of("wallet", "settings", "--workspace", "ws"));
        args.addAll(List.of(options));
        CliRun run = run(args.toArray(String[]::new));
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: " + message + "\n");
    }

    private CliRun run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == WalletSettingsCommand.class) {
                    return type.cast(new WalletSettingsCommand(kafka -> {
                        opened = true;
                        return new WalletCommandSink() {
                            @Override
                            public void sendAndFlush(WalletCommand command) {
                                sent.add(command);
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }, Clock.fixed(NOW, ZoneOffset.UTC)));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return CliRun.with(factory, args);
    }
}
