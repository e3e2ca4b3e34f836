package io.rebill.cli;

import io.rebill.cli.demo.DemoRunner;
import io.rebill.cli.demo.UsageReport;
import io.rebill.cli.demo.UsageReportPrinter;
import io.rebill.cli.stack.LocalStack;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rebill demo}: the local stack with sample agencies, clients, rates and 10,000 calls. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the local stack, load a sample rate card, two agencies with their clients and "
                + "opening balances, replay 10,000 sample CDRs and print what each side paid.",
                "Running it again changes nothing: every CDR is charged once."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--exit", description = "Stop the stack after the report instead of keeping it running.")
    boolean exitAfterReport;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StackSession session = StackSession.open(options, out);
        LocalStack stack = session.stack().startInfrastructure();
        DemoRunner demo = new DemoRunner(stack);
        demo.publishReferenceData();
        stack.startServices();
        out.println("Replaying 10,000 sample CDRs through metering-stream and wallet-stream ...");
        out.flush();
        UsageReport report = demo.replay(DemoRunner.sampleCdrs());
        out.println();
        UsageReportPrinter.print(report, out);
        out.println();
        if (exitAfterReport) {
            session.close();
        } else {
            session.runUntilInterrupted(out);
        }
        return 0;
    }
}
