package io.rebill.cli.chaos;

import io.rebill.billing.BillingSink;
import io.rebill.billing.BillingSinkApp;
import io.rebill.metering.MeteringApp;
import io.rebill.wallet.WalletApp;
import java.nio.file.Path;

/**
 * metering-stream, wallet-stream or billing-sink alone in a child JVM, so that {@link ChaosIT} can
 * kill it with SIGKILL ({@code Process.destroyForcibly()}): no shutdown hook, no close, no abort of
 * its open transaction. Arguments: {@code metering|wallet|billing} and the config file.
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        Path configFile = Path.of(args[1]);
        switch (args[0]) {
            case "metering" -> MeteringApp.createService(MeteringApp.loadConfig(configFile)).start();
            case "wallet" -> WalletApp.createService(WalletApp.loadConfig(configFile)).start();
            case "billing" -> BillingSink.create(BillingSinkApp.loadConfig(configFile)).start();
            default -> throw new IllegalArgumentException("metering, wallet or billing, not " + args[0]);
        }
        Thread.currentThread().join();
    }
}
