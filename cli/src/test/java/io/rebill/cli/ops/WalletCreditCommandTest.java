package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WalletCreditCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final List<WalletCommand> sent = new ArrayList<>();
    private boolean opened;

    @Test
    void shouldWriteAnOfflinePaymentAsATopUpThatSettlesTheRefillRequest() {
        CliRun run = run("wallet", "credit", "--workspace", "acme-agency", "--sub-account", "acme-gym",
                "--amount", "40.00", "--currency", "usd", "--reference", "BANK-2026-118",
                "--refill-request", "refill:acme-agency/acme-gym:10");

        assertThat(run.exitCode).as(run.toString()).isZero();
        WalletCommand command = sent.get(0);
        assertThat(command.getCommandId()).isEqualTo("offline-payment:acme-agency/acme-gym:BANK-2026-118");
        assertThat(command.getWorkspaceId()).isEqualTo("acme-agency");
        assertThat(command.getSubAccountId()).isEqualTo("acme-gym");
        assertThat(command.getIssuedBy()).isEqualTo("rebill-cli");
        assertThat(command.getIssuedAt()).isEqualTo(NOW);
        assertThat(command.getPayload()).isEqualTo(new TopUp(40_000_000L, "USD", "BANK-2026-118",
                "refill:acme-agency/acme-gym:10"));
        assertThat(run.out).isEqualTo("credited 40 USD to wallet acme-agency/acme-gym (reference BANK-2026-118, "
                + "settles refill:acme-agency/acme-gym:10) as command offline-payment:acme-agency/acme-gym:BANK-2026-118\n");
    }

    @Test
    void shouldGiveTheSameCommandIdWhenTheSamePaymentIsRecordedTwice() {
        run("wallet", "credit", "--workspace", "nova-studio", "--amount", "12.5", "--currency", "EUR",
                "--reference", "cash-7");
        run("wallet", "credit", "--workspace", "nova-studio", "--amount", "12.5", "--currency", "EUR",
                "--reference", "cash-7");

        assertThat(sent).hasSize(2).extracting(WalletCommand::getCommandId)
                .containsOnly("offline-payment:nova-studio:cash-7");
        assertThat(((TopUp) sent.get(0).getPayload()).getRefillRequestId()).isNull();
        assertThat(sent.get(0).getSubAccountId()).isNull();
    }

    @Test
    void shouldRefuseInvalidArgumentsWithExitCode2BeforeConnecting() {
        assertThat(run("wallet", "credit", "--workspace", "acme", "--amount", "-5", "--currency", "USD",
                "--reference", "r").err).contains("--amount must be more than 0");
        assertThat(run("wallet", "credit", "--workspace", "acme", "--amount", "1.0000001", "--currency", "USD",
                "--reference", "r").err).contains("more than 6 decimals");
        assertThat(run("wallet", "credit", "--workspace", "acme", "--amount", "5", "--currency", "DOLLARS",
                "--reference", "r").err).contains("--currency", "not an ISO 4217 currency code");
        CliRun badId = run("wallet", "credit", "--workspace", "acme/evil", "--amount", "5", "--currency", "USD",
                "--reference", "r");
        assertThat(badId.exitCode).isEqualTo(2);
        assertThat(badId.err).startsWith("rebill: --workspace 'acme/evil' must be");
        assertThat(run("wallet", "credit", "--workspace", "acme", "--amount", "5", "--currency", "USD").err)
                .contains("Missing required option: '--reference=TEXT'");
        assertThat(opened).as("nothing reached Kafka").isFalse();
    }

    @Test
    void shouldFailWithOneLineWhenKafkaIsNotReachable() throws Exception {
        CliRun run = CliRun.of("wallet", "credit", "--workspace", "acme", "--amount", "5", "--currency", "USD",
                "--reference", "r", "--bootstrap-servers", "127.0.0.1:" + CliRun.closedPort());

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).startsWith("rebill: ").doesNotContain("\tat ");
    }

    private CliRun run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == WalletCreditCommand.class) {
                    return type.cast(new WalletCreditCommand(kafka -> {
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
