package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import io.rebill.money.Micros;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill wallet credit}: records a payment received outside Stripe (bank transfer, cash,
 * cheque) as a top-up of the wallet. The command id comes from the wallet and the payment
 * reference, so recording the same payment twice credits it once.
 */
@Command(name = "credit", mixinStandardHelpOptions = true,
        description = {"Record an offline payment (bank transfer, cash, cheque) as a top-up of a wallet.",
                "Give --refill-request with the id from the 'awaiting offline payment' notice to settle that refill.",
                "Recording the same --reference for the same wallet again changes nothing."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the top-up was written to wallet.commands",
                "2:an argument is invalid, or Kafka or the schema registry cannot be reached"})
public final class WalletCreditCommand implements Callable<Integer> {

    /** Who the wallet's ledger says issued the top-up. */
    static final String ISSUED_BY = "rebill-cli";

    private final WalletCommandSink.Opener sinks;
    private final Clock clock;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--workspace", required = true, paramLabel = "ID", description = "The workspace (agency).")
    String workspace;

    @Option(names = "--sub-account", paramLabel = "ID",
            description = "The sub-account (client) whose wallet is credited; without it the workspace's own wallet.")
    String subAccount;

    @Option(names = "--amount", required = true, paramLabel = "DECIMAL", description = "What was paid, e.g. 50.00.")
    String amount;

    @Option(names = "--currency", required = true, paramLabel = "CODE",
            description = "ISO 4217 code of the wallet, e.g. USD.")
    String currency;

    @Option(names = "--reference", required = true, paramLabel = "TEXT",
            description = "The payment's own reference (bank transfer id, receipt number).")
    String reference;

    @Option(names = "--refill-request", paramLabel = "ID",
            description = "The refill request this payment settles (from the 'awaiting offline payment' notice).")
    String refillRequest;

    @Spec
    CommandSpec spec;

    public WalletCreditCommand() {
        this(WalletCommandSink::kafka, Clock.systemUTC());
    }

    /** With another sink and clock, for tests that check the command without a broker. */
    public WalletCreditCommand(WalletCommandSink.Opener sinks, Clock clock) {
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
        out.printf("credited %s %s to wallet %s (reference %s%s) as command %s%n",
                Micros.toDecimal(((TopUp) command.getPayload()).getAmountMicros()).stripTrailingZeros().toPlainString(),
                currency(), walletId(), reference.trim(),
                refillRequest == null ? "" : ", settles " + refillRequest.trim(), command.getCommandId());
        out.flush();
        return 0;
    }

    /** The top-up command; every argument is checked before anything is sent. */
    WalletCommand build() {
        Ids.require("--workspace", workspace);
        if (subAccount != null) {
            Ids.require("--sub-account", subAccount);
        }
        long micros;
        try {
            micros = Micros.parse(amount);
        } catch (IllegalArgumentException e) {
            throw new UserException("--amount: " + e.getMessage());
        }
        if (micros <= 0) {
            throw new UserException("--amount must be more than 0, was " + amount.trim());
        }
        if (reference.isBlank()) {
            throw new UserException("--reference must not be blank");
        }
        return WalletCommand.newBuilder()
                .setCommandId("offline-payment:" + walletId() + ":" + reference.trim())
                .setWorkspaceId(workspace)
                .setSubAccountId(subAccount)
                .setIssuedAt(clock.instant())
                .setIssuedBy(ISSUED_BY)
                .setPayload(new TopUp(micros, currency(), reference.trim(),
                        refillRequest == null || refillRequest.isBlank() ? null : refillRequest.trim()))
                .build();
    }

    private String currency() {
        try {
            return Micros.currency(currency.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("--currency: " + e.getMessage());
        }
    }

    private String walletId() {
        return subAccount == null ? workspace : workspace + "/" + subAccount;
    }
}
