package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.demo.DemoData;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.schemas.rating.RebillingSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RebillingSetCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final List<String> keys = new ArrayList<>();
    private final List<RebillingSettings> sent = new ArrayList<>();
    private boolean opened;

    @Test
    void shouldWriteASubAccountsMultipliersInBasisPointsKeyedWorkspaceSlashSubAccount() {
        CliRun run = run("rebilling", "set", "--workspace", "acme-agency", "--sub-account", "acme-law", "--voice", "2.5",
                "--voice-ai", "3", "--sms", "1.2345", "--mms", "10", "--email", "1", "--phone-number", "1.10",
                "--phone-number-price", "2.50");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(keys).containsExactly("acme-agency/acme-law");
        assertThat(sent.get(0)).isEqualTo(RebillingSettings.newBuilder().setWorkspaceId("acme-agency")
                .setSubAccountId("acme-law").setRebillingEnabled(true).setMarkupAllowed(true)
                .setVoiceMultiplierBasisPoints(25_000).setVoiceAiMultiplierBasisPoints(30_000)
                .setSmsMultiplierBasisPoints(12_345).setMmsMultiplierBasisPoints(100_000)
                .setEmailMultiplierBasisPoints(10_000).setPhoneNumberMultiplierBasisPoints(11_000)
                .setFixedResalePricesMicros(Map.of("phone-number", 2_500_000L)).setUpdatedAt(NOW).build());
        assertThat(run.out).isEqualTo("set re-billing of acme-agency/acme-law: re-billed, markup allowed; voice 2.50x, "
                + "voice AI 3.00x, SMS 1.2345x, MMS 10.00x, email 1.00x, phone number 1.10x; phone number at a fixed 2.5\n");
    }

    @Test
    void shouldWriteWorkspaceDefaultsKeyedByWorkspaceWithTheSchemaDefaultsForWhatIsNotGiven() {
        CliRun run = run("rebilling", "set", "--workspace", "nova-media", "--markup-allowed", "false");

        assertThat(run.exitCode).as(run.toString()).isZero();
        RebillingSettings settings = sent.get(0);
        assertThat(keys).containsExactly("nova-media");
        assertThat(RebillingSettingsKey.of(settings)).isEqualTo("nova-media");
        assertThat(settings.getSubAccountId()).isNull();
        assertThat(settings.getRebillingEnabled()).isTrue();
        assertThat(settings.getMarkupAllowed()).isFalse();
        assertThat(settings.getVoiceMultiplierBasisPoints()).isEqualTo(10_500);
        assertThat(settings.getFixedResalePricesMicros()).isEmpty();
        // The demo's own nova-media defaults, but for the time.
        RebillingSettings demo = DemoData.rebillingSettings().get(3);
        assertThat(settings).isEqualTo(RebillingSettings.newBuilder(demo).setUpdatedAt(NOW).build());
        assertThat(run.out).endsWith("markup is not allowed: every multiplier is charged at 1.05x\n");
    }

    @Test
    void shouldWriteASubAccountThatIsNotRebilledWithDisabled() {
        CliRun run = run("rebilling", "set", "--workspace", "acme-agency", "--sub-account", "acme-gym", "--disabled");

        assertThat(run.exitCode).isZero();
        assertThat(sent.get(0).getRebillingEnabled()).isFalse();
        assertThat(run.out).isEqualTo("set re-billing of acme-agency/acme-gym: not re-billed\n");
    }

    @Test
    void shouldRefuseMultipliersOutsideTheRangeWithTheRebillingRulesMessage() {
        assertRefused("--voice 12: Multiplier 120000 basis points is outside 1x..10x (10000..100000)", "--voice", "12");
        assertRefused("--sms 0.99: Multiplier 9900 basis points is outside 1x..10x (10000..100000)", "--sms", "0.99");
        assertRefused("--email 1.00001: a multiplier has at most 4 decimals and is at most 10.00", "--email", "1.00001");
        assertRefused("--voice-ai 'lots' is not a multiplier such as 1.25", "--voice-ai", "lots");
        assertRefused("--phone-number-price -1: Fixed resale price of phone-number is negative: -1000000 micros",
                "--phone-number-price", "-1");
        assertRefused("--phone-number-price: 'two' is not a decimal amount", "--phone-number-price", "two");
        assertRefused("give --enabled or --disabled, not both", "--enabled", "--disabled");
        assertRefused("--sub-account 'a/b' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit",
                "--sub-account", "a/b");
        // Checked even where these settings would not use them yet: turning re-billing on must not break rating.
        assertRefused("--mms 11: Multiplier 110000 basis points is outside 1x..10x (10000..100000)", "--disabled",
                "--mms", "11");
        CliRun notBoolean = run("rebilling", "set", "--workspace", "ws", "--markup-allowed", "maybe");
        assertThat(notBoolean.exitCode).isEqualTo(2);
        assertThat(notBoolean.err).contains("Invalid value for option '--markup-allowed': 'maybe' is not a boolean");
        assertThat(opened).as("nothing reached Kafka").isFalse();
    }

    @Test
    void shouldExit2WithOneLineWhenKafkaIsNotReachable() throws Exception {
        int port = CliRun.closedPort();

        CliRun run = CliRun.of("rebilling", "set", "--workspace", "ws", "--bootstrap-servers", "127.0.0.1:" + port);

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: Kafka at 127.0.0.1:" + port + " is not reachable; is `rebill up` running?\n");
    }

    @Test
    void shouldSayInHelpThatTheRecordReplacesThePreviousSettings() {
        CliRun run = CliRun.of("rebilling", "set", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill rebilling set").contains("--voice=X").contains("--voice-ai=X")
                .contains("--phone-number-price=DECIMAL").contains("--markup-allowed=true|false")
                .contains("replaces what was set before").contains("Exit codes:");
    }

    private void assertRefused(String message, String... options) {
        List<String> args = new ArrayList<>(List.of("rebilling", "set", "--workspace", "ws"));
        args.addAll(List.of(options));
        CliRun run = run(args.toArray(String[]::new));
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: " + message + "\n");
    }

    private CliRun run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == RebillingSetCommand.class) {
                    return type.cast(new RebillingSetCommand(kafka -> {
                        opened = true;
                        return new RebillingSettingsSink() {
                            @Override
                            public void sendAndFlush(String key, RebillingSettings settings) {
                                keys.add(key);
                                sent.add(settings);
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
