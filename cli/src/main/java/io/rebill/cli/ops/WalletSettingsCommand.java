package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import io.rebill.money.Micros;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.WalletCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill wallet settings}: a wallet's auto-refill, as a {@code RefillSettings} command on
 * {@code wallet.commands}. The settings replace the wallet's previous ones and take effect at its
 * next refill decision.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
        customSynopsis = {"rebill wallet settings --workspace=ID [--sub-account=ID] --currency=CODE",
                "       (--threshold=DECIMAL (--refill-amount=DECIMAL | --target-balance=DECIMAL)",
                "        [--monthly-cap=DECIMAL] [--offline] | --disable)",
                "       [--bootstrap-servers=HOST:PORT] [--registry-url=URL] [-hV]"},
        description = {"Set or turn off a wallet's auto-refill.",
                "When the balance falls below --threshold, the wallet is refilled by "
                + "--refill-amount or up to --target-balance, at most --monthly-cap per calendar month (UTC).",
                "--offline makes refills wait for a payment recorded with `rebill wallet credit` instead of charging "
                        + "the saved card. --disable turns auto-refill off.",
                "The settings replace the wallet's previous ones and apply from its next refill decision."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the settings were written to wallet.commands",
                "2:an argument is invalid, or Kafka or the schema registry cannot be reached"})
public final class WalletSettingsCommand implements Callable<Integer> {

    private final WalletCommandSink.Opener sinks;
    private final Clock clock;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--workspace", required = true, paramLabel = "ID", description = "The workspace (agency).")
    String workspace;

    @Option(names = "--sub-account", paramLabel = "ID",
            description = "The sub-account (client) whose wallet it is; without it the workspace's own wallet.")
    String subAccount;

    @Option(names = "--currency", required = true, paramLabel = "CODE",
            description = "ISO 4217 code of the wallet, e.g. USD.")
    String currency;

    @Option(names = "--threshold", paramLabel = "DECIMAL", description = "Refill when the balance falls below this.")
    String threshold;

    @Option(names = "--refill-amount", paramLabel = "DECIMAL", description = "Refill by this much.")
    String refillAmount;

    @Option(names = "--target-balance", paramLabel = "DECIMAL",
            description = "Refill up to this balance (above --threshold).")
    String targetBalance;

    @Option(names = "--monthly-cap", paramLabel = "DECIMAL",
            description = "Refill at most this much per calendar month (UTC). Default: no cap.")
    String monthlyCap;

    @Option(names = "--offline", description = "Refills wait for an offline payment instead of charging the card.")
    boolean offline;

    @Option(names = "--disable", description = "Turn auto-refill off.")
    boolean disable;

    @Spec
    CommandSpec spec;

    public WalletSettingsCommand() {
        this(WalletCommandSink::kafka, Clock.systemUTC());
    }

    /** With another sink and clock, for tests that check the command without a broker. */
    public WalletSettingsCommand(WalletCommandSink.Opener sinks, Clock clock) {
        this.sinks = sinks;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        WalletCommand command = build();
        try (WalletCommandSink sink = sinks.open(kafka)) {
            sink.sendAndFlush(command);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s for wallet %s as command %s%n", describe((RefillSettings) command.getPayload()), walletId(),
                command.getCommandId());
        out.flush();
        return 0;
    }

    /** The settings command; every argument is checked before anything is sent. */
    WalletCommand build() {
        Ids.require("--workspace", workspace);
        if (subAccount != null) {
            Ids.require("--sub-account", subAccount);
        }
        String code = currency();
        RefillSettings settings = disable ? disabled(code) : enabled(code);
        try {
            // The wallet's own rules, so nothing is sent that wallet-stream would reject.
            new io.rebill.wallet.refill.RefillSettings(settings.getEnabled(), settings.getThresholdMicros(),
                    settings.getRefillAmountMicros(), settings.getTargetBalanceMicros(), settings.getMonthlyCapMicros(),
                    settings.getOfflinePayment());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        Instant now = clock.instant();
        return WalletCommand.newBuilder()
                .setCommandId("refill-settings:" + walletId() + ":" + now.toEpochMilli() + ":" + fingerprint(settings))
                .setWorkspaceId(workspace)
                .setSubAccountId(subAccount)
                .setIssuedAt(now)
                .setIssuedBy(WalletCreditCommand.ISSUED_BY)
                .setPayload(settings)
                .build();
    }

    private RefillSettings disabled(String code) {
        List<String> given = new ArrayList<>();
        addIf(given, threshold != null, "--threshold");
        addIf(given, refillAmount != null, "--refill-amount");
        addIf(given, targetBalance != null, "--target-balance");
        addIf(given, monthlyCap != null, "--monthly-cap");
        addIf(given, offline, "--offline");
        if (!given.isEmpty()) {
            throw new UserException("--disable turns auto-refill off and takes no " + String.join(", ", given));
        }
        return RefillSettings.newBuilder().setEnabled(false).setCurrency(code).setThresholdMicros(0).build();
    }

    private RefillSettings enabled(String code) {
        if (threshold == null) {
            throw new UserException("give --threshold with --refill-amount or --target-balance to turn auto-refill on, "
                    + "or --disable to turn it off");
        }
        if (refillAmount == null && targetBalance == null) {
            throw new UserException("--threshold needs --refill-amount or --target-balance");
        }
        if (refillAmount != null && targetBalance != null) {
            throw new UserException("give --refill-amount or --target-balance, not both");
        }
        long thresholdMicros = amount("--threshold", threshold);
        if (thresholdMicros < 0) {
            throw new UserException("--threshold must not be negative, was " + threshold.trim());
        }
        Long refillMicros = refillAmount == null ? null : positive("--refill-amount", refillAmount);
        Long targetMicros = targetBalance == null ? null : positive("--target-balance", targetBalance);
        if (targetMicros != null && targetMicros <= thresholdMicros) {
            throw new UserException("--target-balance " + targetBalance.trim() + " must be above --threshold "
                    + threshold.trim());
        }
        Long capMicros = monthlyCap == null ? null : positive("--monthly-cap", monthlyCap);
        return RefillSettings.newBuilder().setEnabled(true).setCurrency(code).setThresholdMicros(thresholdMicros)
                .setRefillAmountMicros(refillMicros).setTargetBalanceMicros(targetMicros)
                .setMonthlyCapMicros(capMicros).setOfflinePayment(offline).build();
    }

    private static String describe(RefillSettings settings) {
        if (!settings.getEnabled()) {
            return "turned auto-refill off";
        }
        String currency = settings.getCurrency();
        StringBuilder text = new StringBuilder("set auto-refill: below " + money(currency, settings.getThresholdMicros()));
        text.append(settings.getRefillAmountMicros() != null
                ? ", refill by " + money(currency, settings.getRefillAmountMicros())
                : ", refill up to " + money(currency, settings.getTargetBalanceMicros()));
        if (settings.getMonthlyCapMicros() != null) {
            text.append(", at most ").append(money(currency, settings.getMonthlyCapMicros())).append(" a month");
        }
        if (settings.getOfflinePayment()) {
            text.append(", paid offline");
        }
        return text.toString();
    }

    private static String money(String currency, long micros) {
        return currency + " " + Micros.toDecimal(micros).stripTrailingZeros().toPlainString();
    }

    private static long positive(String option, String value) {
        long micros = amount(option, value);
        if (micros <= 0) {
            throw new UserException(option + " must be more than 0, was " + value.trim());
        }
        return micros;
    }

    private static long amount(String option, String value) {
        try {
            return Micros.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
    }

    private String currency() {
        try {
            return Micros.currency(currency.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("--currency: " + e.getMessage());
        }
    }

    private String walletId() {
        return subAccount == null ? workspace : workspace + "/" + subAccount;
    }

    /** A short digest of the settings: two different settings sent in the same millisecond get different ids. */
    private static String fingerprint(RefillSettings settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(settings.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void addIf(List<String> list, boolean condition, String item) {
        if (condition) {
            list.add(item);
        }
    }
}
