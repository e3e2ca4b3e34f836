package io.rebill.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rebill rebilling}: Set how agencies re-bill their sub-accounts. */
@Command(name = "rebilling", mixinStandardHelpOptions = true,
        description = "Set how agencies re-bill their sub-accounts.",
        subcommands = {RebillingSetCommand.class})
public final class RebillingCommandGroup implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
