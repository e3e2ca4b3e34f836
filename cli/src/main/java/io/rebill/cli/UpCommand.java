package io.rebill.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rebill up}: the local stack and the three services, until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a Kafka broker (KRaft), a schema registry, the topics and the three services "
                + "on 127.0.0.1, and keep them running until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StackSession session = StackSession.open(options, out);
        session.stack().startInfrastructure().startServices();
        session.runUntilInterrupted(out);
        return 0;
    }
}
