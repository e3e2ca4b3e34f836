package io.rebill.cli;

import io.rebill.cli.bench.BenchCommand;
import io.rebill.cli.ops.DlqCommand;
import io.rebill.cli.ops.ImportCommand;
import io.rebill.cli.ops.ProduceCommandGroup;
import io.rebill.cli.ops.RebillingCommandGroup;
import io.rebill.cli.ops.TailCommand;
import io.rebill.cli.ops.TopicsCommandGroup;
import io.rebill.cli.ops.WalletCommandGroup;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code rebill} operator command line. */
@Command(name = "rebill", mixinStandardHelpOptions = true, version = "rebill 0.1.0",
        description = "Usage metering and re-billing on Kafka: rate calls and messages, charge both wallets.",
        subcommands = {DemoCommand.class, UpCommand.class, TopicsCommandGroup.class, ProduceCommandGroup.class,
                ImportCommand.class, TailCommand.class, WalletCommandGroup.class, RebillingCommandGroup.class,
                DlqCommand.class, BenchCommand.class})
public final class RebillCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With another factory for the command objects, so tests can hand a command a fake collaborator. */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(new RebillCli(), factory);
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("rebill: " + describe(exception));
            err.flush();
            return exception instanceof UserException ? 2 : 1;
        });
        return cli;
    }

    /** The message of the exception and its causes, one clear line instead of a stack trace. */
    static String describe(Throwable exception) {
        StringBuilder message = new StringBuilder(String.valueOf(exception.getMessage()));
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
        }
        return message.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
