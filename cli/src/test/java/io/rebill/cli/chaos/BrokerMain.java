package io.rebill.cli.chaos;

import io.rebill.cli.stack.EmbeddedKafkaBroker;
import java.nio.file.Path;

/**
 * The local stack's KRaft broker alone in a child JVM, so that {@link ChaosIT} can kill it with
 * SIGKILL: no controlled shutdown, no flush, no clean-shutdown marker, so the restart recovers its
 * logs, producer state and transactions from disk. SIGTERM still shuts it down in order.
 * Arguments: log folder, port, controller port.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        broker.start();
        Thread.currentThread().join();
    }
}
