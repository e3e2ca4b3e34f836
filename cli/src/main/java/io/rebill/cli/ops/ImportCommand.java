package io.rebill.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rebill import}: loads carriers' exports into a running pipeline; one subcommand per kind of file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Load carriers' exports into the running pipeline's input topics.",
        subcommands = ImportCdrsCommand.class)
public final class ImportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
