package io.rebill.cli;

import io.rebill.cli.stack.ApicurioRegistry;
import io.rebill.cli.stack.LocalStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local stack keeps its data and which ports it listens on. */
public final class StackOptions {

    @Option(names = "--data-dir", defaultValue = ".rebill", paramLabel = "DIR",
            description = "Folder for the broker's logs, the registry's database and stream state (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Wipe the data folder first and start from nothing.")
    boolean fresh;

    @Option(names = "--kafka-port", defaultValue = "9092", paramLabel = "PORT", description = "Kafka listener port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093", paramLabel = "PORT",
            description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "8081", paramLabel = "PORT",
            description = "Schema registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--wallet-port", defaultValue = "8090", paramLabel = "PORT",
            description = "Port of wallet-stream's HTTP API: balances, ledger, usage, access (default: ${DEFAULT-VALUE}).")
    int walletPort;

    @Option(names = "--billing-port", defaultValue = "8091", paramLabel = "PORT",
            description = "Port of billing-sink's HTTP endpoint: Stripe webhooks, metrics and health (default: ${DEFAULT-VALUE}).")
    int billingPort;

    @Option(names = "--metering-port", defaultValue = "8092", paramLabel = "PORT",
            description = "Port of metering-stream's metrics and health endpoints (default: ${DEFAULT-VALUE}).")
    int meteringPort;

    LocalStack.Settings settings() {
        requireFree(kafkaPort, "--kafka-port");
        requireFree(walletPort, "--wallet-port");
        requireFree(billingPort, "--billing-port");
        requireFree(meteringPort, "--metering-port");
        requireFree(controllerPort, "--controller-port");
        requireFree(registryPort, "--registry-port");
        if (fresh) {
            LocalStack.wipe(dataDir);
        }
        return new LocalStack.Settings(dataDir, kafkaPort, controllerPort, registryPort, walletPort,
                billingPort, meteringPort, ApicurioRegistry.locateHome());
    }

    private static void requireFree(int port, String option) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new UserException("Port " + port + " on 127.0.0.1 is in use. Is another `rebill up` or "
                    + "`rebill demo` running? Stop it, or choose another port with " + option + ".");
        }
    }
}
