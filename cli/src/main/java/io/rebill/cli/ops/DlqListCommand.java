package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill dlq list}: the records on one dead-letter topic, one line each, newest last. Reads
 * the whole topic without a consumer group, so listing never moves what {@code dlq replay} has done.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the records on a dead-letter or rejected topic, one line each: topic, partition@offset, "
                + "where the record came from (topic, partition@offset, key), reason code, reason, time.",
                "Then a summary with the count per reason code."})
public final class DlqListCommand implements Callable<Integer> {

    private static final Comparator<DeadLetterEntry> OLDEST_FIRST = Comparator.comparing(DeadLetterEntry::time)
            .thenComparingInt(DeadLetterEntry::partition).thenComparingLong(DeadLetterEntry::offset);

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DeadLetterFilter filter;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
            description = "Show at most the N most recent matching records (default: ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new UserException("--limit must be at least 1, got " + limit);
        }
        DeadLetterTopic topic = DeadLetterTopic.named(filter.topic, kafka.topics());
        kafka.requireKafka(topic.name());
        if (topic.needsRegistry()) {
            kafka.requireRegistry();
        }
        PriorityQueue<DeadLetterEntry> latest = new PriorityQueue<>(OLDEST_FIRST);
        Map<String, Long> byReason = new TreeMap<>();
        long read;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), DeadLetterScan.STALL_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            read = DeadLetterScan.scan(consumer, partitions, batch -> batch.stream().map(topic::decode)
                    .filter(filter::matches).forEach(entry -> {
                        byReason.merge(entry.reasonCode(), 1L, Long::sum);
                        latest.add(entry);
                        if (latest.size() > limit) {
                            latest.poll();
                        }
                    }));
        }
        PrintWriter out = spec.commandLine().getOut();
        latest.stream().sorted(OLDEST_FIRST).forEach(entry -> out.println(entry.line()));
        out.println(summary(topic.name(), read, byReason, latest.size()));
        out.flush();
        return 0;
    }

    private String summary(String topic, long read, Map<String, Long> byReason, int shown) {
        long matching = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (matching == 0) {
            return "no records on " + topic + filter.describe() + (read > 0 ? " (" + Counts.of(read, "record") + " in all)" : "");
        }
        return Counts.of(matching, "record") + " on " + topic + filter.describe() + " (" + Counts.byKey(byReason) + ")"
                + (shown < matching ? "; showing the latest " + shown + " (--limit)" : "");
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = kafka.kafkaConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }
}
