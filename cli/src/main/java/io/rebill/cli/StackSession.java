package io.rebill.cli;

import io.rebill.cli.stack.LocalStack;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/** A local stack owned by one command: stopped cleanly on Ctrl-C, or when the command is done with it. */
final class StackSession implements AutoCloseable {

    private final LocalStack stack;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread shutdownHook;

    /** Prepares the stack the options describe, saying where its data lives; nothing runs yet. */
    static StackSession open(StackOptions options, PrintWriter out) {
        StackSession session = new StackSession(new LocalStack(options.settings()));
        out.println("Starting the local stack in " + options.dataDir.toAbsolutePath() + " ...");
        out.flush();
        return session;
    }

    StackSession(LocalStack stack) {
        this.stack = stack;
        this.shutdownHook = new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "rebill-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    LocalStack stack() {
        return stack;
    }

    /** Says where everything runs, then blocks until Ctrl-C. */
    void runUntilInterrupted(PrintWriter out) throws InterruptedException {
        out.println("Rebill is running:");
        out.println("  Kafka (KRaft)      " + stack.bootstrapServers());
        out.println("  Schema registry    " + stack.registryUrl());
        out.println("  Services           metering-stream, wallet-stream, billing-sink");
        out.println("  Wallet API         " + stack.walletUrl()
                + "  (e.g. /workspaces/{id}, /access/{subAccountId}; /metrics, /health, /ready)");
        out.println("  Billing endpoint   http://127.0.0.1:" + stack.billingSink().httpPort()
                + "  (/metrics, /health, /ready; no Stripe key: refills await offline payment, see billing.notices)");
        out.println("  Metering endpoint  " + stack.meteringUrl() + "  (/metrics, /health, /ready)");
        out.println("  Data               " + stack.settings().dataDir().toAbsolutePath());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
    }

    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        stack.close();
    }
}
