package io.rebill.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rebill dlq}: what the pipeline could not process, and putting it back once the cause is fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Inspect and replay what the pipeline could not process.",
                "Rejected records (metering.charges.rejected, wallet.rejected) could be read but not rated or "
                        + "applied, e.g. NO_RATE; dead letters (metering.dead-letter, wallet.dead-letter) could not "
                        + "be read at all."},
        subcommands = {DlqListCommand.class, DlqReplayCommand.class})
public final class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
