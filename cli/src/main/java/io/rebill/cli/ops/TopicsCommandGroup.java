package io.rebill.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rebill topics}: Create and inspect the catalog's topics on any Kafka cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create and inspect the catalog's topics on any Kafka cluster.",
        subcommands = {TopicsCreateCommand.class})
public final class TopicsCommandGroup implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
