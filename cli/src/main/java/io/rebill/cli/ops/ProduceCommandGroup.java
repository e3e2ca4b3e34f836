package io.rebill.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rebill produce}: Produce generated load into the pipeline's input topics. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce generated load into the pipeline's input topics.",
        subcommands = {ProduceCdrsCommand.class})
public final class ProduceCommandGroup implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
