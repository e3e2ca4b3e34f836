package io.rebill.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rebill wallet}: act on a wallet of the running pipeline. */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        description = "Act on a workspace's or sub-account's wallet in the running pipeline.",
        subcommands = {WalletShowCommand.class, WalletCreditCommand.class, WalletSettingsCommand.class})
public final class WalletCommandGroup implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
