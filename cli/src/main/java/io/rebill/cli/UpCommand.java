package io.rebill.cli;

import io.rebill.cli.stack.LocalStack;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        LocalStack stack = new LocalStack(options.settings());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "rebill-up-shutdown"));
        out.println("Starting the local stack in " + options.dataDir.toAbsolutePath() + " ...");
        out.flush();
        stack.startInfrastructure().startServices();
        printRunning(stack, out);
        stopped.await();
        return 0;
    }

    static void printRunning(LocalStack stack, PrintWriter out) {
        out.println("Rebill is running:");
        out.println("  Kafka (KRaft)      " + stack.bootstrapServers());
        out.println("  Schema registry    " + stack.registryUrl());
        out.println("  Services           metering-stream, wallet-stream, billing-sink");
        out.println("  Data               " + stack.settings().dataDir().toAbsolutePath());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
