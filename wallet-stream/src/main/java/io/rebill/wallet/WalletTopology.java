package io.rebill.wallet;

import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import io.rebill.wallet.processor.ChargeProcessor;
import io.rebill.wallet.processor.CommandProcessor;
import io.rebill.wallet.processor.WalletProcessor;
import io.rebill.wallet.processor.WalletStores;
import org.apache.kafka.streams.Topology;

/**
 * wallet-stream's topology: rated charges from metering-stream and wallet commands from billing-sink
 * and operators, both keyed by workspace id and co-partitioned, are applied to the shared
 * {@link WalletStores#WALLETS} store; the results go to {@code wallet.ledger},
 * {@code wallet.balances} and, when refused, {@code wallet.rejected}. Every node has a fixed name
 * so that state and offsets survive topology changes.
 */
public final class WalletTopology {

    public static final String CHARGES_SOURCE = "charges-rated-source";
    public static final String COMMANDS_SOURCE = "wallet-commands-source";
    public static final String CHARGE_PROCESSOR = "apply-charge";
    public static final String COMMAND_PROCESSOR = "apply-command";

    private WalletTopology() {
    }

    public static Topology build(Topics topics) {
        WalletStores stores = new WalletStores(topics);
        Topology topology = new Topology();
        addSource(topology, CHARGES_SOURCE, topics.chargesRated);
        addSource(topology, COMMANDS_SOURCE, topics.walletCommands);
        topology.addProcessor(CHARGE_PROCESSOR, ChargeProcessor.supplier(topics, stores), CHARGES_SOURCE);
        topology.addProcessor(COMMAND_PROCESSOR, CommandProcessor.supplier(topics, stores), COMMANDS_SOURCE);
        addSink(topology, WalletProcessor.LEDGER_SINK, topics.walletLedger);
        addSink(topology, WalletProcessor.BALANCES_SINK, topics.walletBalances);
        addSink(topology, WalletProcessor.REJECTED_SINK, topics.walletRejected);
        return topology;
    }

    private static void addSource(Topology topology, String name, Topic<?, ?> topic) {
        topology.addSource(name, topic.keySerde().deserializer(), topic.valueSerde().deserializer(), topic.name());
    }

    private static void addSink(Topology topology, String name, Topic<?, ?> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
                CHARGE_PROCESSOR, COMMAND_PROCESSOR);
    }
}
