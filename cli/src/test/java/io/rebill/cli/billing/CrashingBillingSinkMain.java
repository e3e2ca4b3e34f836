package io.rebill.cli.billing;

import io.rebill.billing.BillingSink;
import io.rebill.billing.BillingSinkApp;
import io.rebill.billing.payment.PaymentResult;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * billing-sink in a child JVM that dies abruptly ({@code Runtime.halt}, no shutdown hooks, no
 * abort) right after Stripe answered its N-th charge: between the payment and the Kafka commit.
 * Arguments: the config file, and N.
 */
public final class CrashingBillingSinkMain {

    /** The exit status of a process killed this way, as with SIGKILL. */
    public static final int HALTED = 137;

    private CrashingBillingSinkMain() {
    }

    public static void main(String[] args) throws Exception {
        int crashAfter = Integer.parseInt(args[1]);
        AtomicInteger charges = new AtomicInteger();
        BillingSink.create(BillingSinkApp.loadConfig(Path.of(args[0])), gateway -> request -> {
            PaymentResult result = gateway.charge(request);
            if (charges.incrementAndGet() == crashAfter) {
                Runtime.getRuntime().halt(HALTED);
            }
            return result;
        }).start();
        Thread.currentThread().join();
    }
}
