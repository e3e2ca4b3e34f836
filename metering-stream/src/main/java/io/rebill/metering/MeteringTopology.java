package io.rebill.metering;

import io.rebill.metering.processor.CdrInput;
import io.rebill.metering.processor.MessageInput;
import io.rebill.metering.processor.MeteredInput;
import io.rebill.metering.processor.MeteringMeters;
import io.rebill.metering.processor.UsageRatingProcessor;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.rating.state.MeteredUsage;
import io.rebill.streams.GlobalTables;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The metering-stream topology:
 *
 * <pre>
 * metering.rate-card ──────────► global table metering-rate-card-store ──────────┐ (read by name)
 * metering.rebilling-settings ─► global table metering-rebilling-settings-store ─┤
 * metering.cdr.raw ──────► keyed by CDR identity? ─yes─────────────► metering-cdr-rate ─────┐
 *                                 └─no─► metering-cdr-by-identity (repartition) ─┘          │
 * metering.messages.raw ─► keyed by event id? ─yes─────────────────► metering-message-rate ─┤
 *                                 └─no─► metering-message-by-identity (repartition) ─┘      │
 *                  ┌────────────────────────────────────────────────────────────────────────┘
 *                  ├─► metering.charges.rated (key: workspace id)
 *                  └─► metering.charges.rejected (key: as read)
 * </pre>
 *
 * Each rating processor keeps a de-duplication store ({@code metering-cdr-dedup},
 * {@code metering-message-dedup}), so every version of one record must reach the same task:
 * records published under their identity go straight to it, the others are re-keyed through a
 * repartition topic first. Unreadable records never reach a processor: Kafka Streams sends them
 * to {@code metering.dead-letter} (see {@code StreamsDefaults}). Every node, store and internal
 * topic has a fixed name, so state survives changes elsewhere in the topology.
 */
public final class MeteringTopology {

    public static final String RATE_CARD_TABLE = "metering-rate-card-table";
    public static final String REBILLING_SETTINGS_TABLE = "metering-rebilling-settings-table";
    public static final String CDR_DEDUP_STORE = "metering-cdr-dedup";
    public static final String MESSAGE_DEDUP_STORE = "metering-message-dedup";

    private MeteringTopology() {
    }

    /** The topology under the application's default config ({@link MeteringApp#config}). */
    public static Topology build(Topics topics) {
        return build(topics, MeteringApp.config(new Properties()));
    }

    /**
     * The topology under {@code config}, which decides how it is built: explicit naming is checked
     * when {@code ensure.explicit.internal.resource.naming} is on, {@code dsl.store.format} shapes the
     * global stores, {@link MeteringConfig#DEDUP_RETENTION_MS} sets how long records are remembered and
     * {@link MeteringConfig#MAX_BILLABLE_SECONDS} the longest call rated.
     */
    public static Topology build(Topics topics, Properties config) {
        return build(topics, config, MeteringMeters.none());
    }

    /** As {@link #build(Topics, Properties)}, with the rating processors counting into {@code meters}. */
    public static Topology build(Topics topics, Properties config, MeteringMeters meters) {
        MeteringConfig metering = new MeteringConfig(config);
        Duration retention = metering.dedupRetention();
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
        GlobalTables.add(builder, topics.rateCard, RATE_CARD_TABLE, UsageRatingProcessor.RATE_CARD_STORE);
        GlobalTables.add(builder, topics.rebillingSettings, REBILLING_SETTINGS_TABLE,
                UsageRatingProcessor.REBILLING_SETTINGS_STORE);

        KStream<String, SpecificRecord> cdrOutcomes =
                rate(builder, topics, new CdrInput(topics.cdrRaw, metering.maxBillableSeconds()), CDR_DEDUP_STORE,
                        retention, meters);
        KStream<String, SpecificRecord> messageOutcomes =
                rate(builder, topics, new MessageInput(topics.messagesRaw), MESSAGE_DEDUP_STORE, retention,
                        meters);

        cdrOutcomes.merge(messageOutcomes, Named.as("metering-outcomes"))
                .split(Named.as("metering-outcome-"))
                .branch((key, value) -> value instanceof RatedCharge, Branched.withConsumer(charges -> charges
                        .mapValues(value -> (RatedCharge) value, Named.as("metering-as-rated-charge"))
                        .to(topics.chargesRated.name(), produced(topics.chargesRated, "metering-charges-rated-sink")),
                        "charge"))
                .branch((key, value) -> value instanceof DeadLetter, Branched.withConsumer(rejections -> rejections
                        .mapValues(value -> (DeadLetter) value, Named.as("metering-as-dead-letter"))
                        .to(topics.chargesRejected.name(),
                                produced(topics.chargesRejected, "metering-charges-rejected-sink")),
                        "rejection"))
                .noDefaultBranch();
        return builder.build();
    }

    /** Reads one input, routes it by identity, and rates it; returns the charges and rejections. */
    private static <V extends SpecificRecord> KStream<String, SpecificRecord> rate(
            StreamsBuilder builder, Topics topics, MeteredInput<V> input, String dedupStore, Duration retention,
            MeteringMeters meters) {
        Topic<String, V> topic = input.topic();
        String prefix = input.namePrefix();
        KStream<String, V> records = builder.stream(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(prefix + "-source"));
        Map<String, KStream<String, V>> routes = records.split(Named.as(prefix + "-key-"))
                .branch((key, value) -> isKeyedByIdentity(input, key, value), Branched.as("ok"))
                .defaultBranch(Branched.as("wrong"));
        KStream<String, V> rekeyed = routes.get(prefix + "-key-wrong")
                .selectKey((key, value) -> input.identityOrNull(value), Named.as(prefix + "-select-identity"))
                .repartition(Repartitioned.with(topic.keySerde(), topic.valueSerde())
                        .withName(prefix + "-by-identity"));
        return routes.get(prefix + "-key-ok")
                .merge(rekeyed, Named.as(prefix + "-keyed"))
                .process(ratingProcessor(topics, input, dedupStore, retention, meters), Named.as(prefix + "-rate"));
    }

    /** Records too broken to have an identity are rated where they are, and rejected there. */
    private static <V> boolean isKeyedByIdentity(MeteredInput<V> input, String key, V value) {
        if (value == null) {
            return true;
        }
        String identity = input.identityOrNull(value);
        return identity == null || identity.equals(key);
    }

    private static <V extends SpecificRecord> ProcessorSupplier<String, V, String, SpecificRecord> ratingProcessor(
            Topics topics, MeteredInput<V> input, String dedupStore, Duration retention, MeteringMeters meters) {
        StoreBuilder<WindowStore<String, MeteredUsage>> store = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(dedupStore, retention, Duration.ofMillis(1), false),
                topics.chargesRated.keySerde(), topics.storeSerde(MeteredUsage.class));
        return new ProcessorSupplier<>() {
            @Override
            public UsageRatingProcessor<V> get() {
                return new UsageRatingProcessor<>(input, dedupStore, retention, meters);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store);
            }
        };
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
