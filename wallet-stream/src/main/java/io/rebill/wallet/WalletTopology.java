package io.rebill.wallet;

import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.DailyUsage;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.streams.GlobalTables;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import io.rebill.wallet.processor.WalletMeters;
import io.rebill.wallet.processor.WalletProcessor;
import io.rebill.wallet.processor.WalletStores;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * wallet-stream's topology:
 *
 * <pre>
 * metering.rebilling-settings ─► global table wallet-rebilling-settings-store ─┐ (read by name)
 * wallet.plans ────────────────► global table wallet-plans-store ──────────────┤
 * metering.charges.rated ─┐                                                     │
 * wallet.commands ────────┴─► wallet-apply (one processor per workspace partition, WalletStores)
 *                                ├─► wallet.ledger (key: workspace)      ├─► billing.refill.requested
 *                                ├─► wallet.balances (key: wallet)       ├─► wallet.numbers (key: number)
 *                                ├─► wallet.access (key: sub-account)    ├─► wallet.usage.daily
 *                                └─► wallet.rejected
 * wallet.access ─► global table wallet-access-store (so every instance answers GET /access/{id})
 * </pre>
 *
 * Charges and commands are both keyed by workspace id and co-partitioned, so a workspace's
 * wallets, allowances and numbers live in one task. Every node, store and topic name is fixed.
 */
public final class WalletTopology {

    public static final String ACCESS_STORE = "wallet-access-store";
    public static final String APPLY_PROCESSOR = "wallet-apply";

    private WalletTopology() {
    }

    /** The topology under the application's default config ({@link WalletApp#config}). */
    public static Topology build(Topics topics) {
        return build(topics, WalletApp.config(new Properties()));
    }

    public static Topology build(Topics topics, Properties config) {
        return build(topics, config, WalletMeters.none());
    }

    /** As {@link #build(Topics, Properties)}, with the processor counting into {@code meters}. */
    public static Topology build(Topics topics, Properties config, WalletMeters meters) {
        WalletConfig wallet = new WalletConfig(config);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
        GlobalTables.add(builder, topics.rebillingSettings, "wallet-rebilling-settings-table", WalletProcessor.SETTINGS_STORE);
        GlobalTables.add(builder, topics.walletPlans, "wallet-plans-table", WalletProcessor.PLANS_STORE);
        GlobalTables.add(builder, topics.walletAccess, "wallet-access-table", ACCESS_STORE);

        KStream<String, SpecificRecord> charges = builder.stream(topics.chargesRated.name(),
                        Consumed.with(topics.chargesRated.keySerde(), topics.chargesRated.valueSerde())
                                .withName("wallet-charges-source"))
                .mapValues(value -> (SpecificRecord) value, Named.as("wallet-charges-as-inputs"));
        KStream<String, SpecificRecord> commands = builder.stream(topics.walletCommands.name(),
                        Consumed.with(topics.walletCommands.keySerde(), topics.walletCommands.valueSerde())
                                .withName("wallet-commands-source"))
                .mapValues(value -> (SpecificRecord) value, Named.as("wallet-commands-as-inputs"));

        WalletStores stores = new WalletStores(topics, wallet.dailyUsageRetention());
        ProcessorSupplier<String, SpecificRecord, String, SpecificRecord> apply = new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, SpecificRecord> get() {
                return new WalletProcessor(topics, wallet.rules(), wallet.punctuateInterval(),
                        wallet.dailyUsageRetention(), meters);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores.builders();
            }
        };
        BranchedKStream<String, SpecificRecord> outputs = charges.merge(commands, Named.as("wallet-inputs"))
                .process(apply, Named.as(APPLY_PROCESSOR))
                .split(Named.as("wallet-output-"));
        route(outputs, LedgerEntry.class, topics.walletLedger, "ledger");
        route(outputs, WalletBalance.class, topics.walletBalances, "balances");
        route(outputs, AccessStatus.class, topics.walletAccess, "access");
        route(outputs, RefillRequest.class, topics.refillRequested, "refills");
        route(outputs, PhoneNumberStatus.class, topics.walletNumbers, "numbers");
        route(outputs, DailyUsage.class, topics.walletUsageDaily, "usage-daily");
        route(outputs, DeadLetter.class, topics.walletRejected, "rejected");
        outputs.noDefaultBranch();
        return builder.build();
    }

    /** The processor's outputs of one type to their topic. */
    private static <V extends SpecificRecord> void route(BranchedKStream<String, SpecificRecord> outputs,
                                                         Class<V> type, Topic<String, V> topic, String name) {
        outputs.branch((key, value) -> type.isInstance(value), Branched.withConsumer(stream -> stream
                .mapValues(type::cast, Named.as("wallet-as-" + name))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName("wallet-" + name + "-sink")),
                name));
    }
}
