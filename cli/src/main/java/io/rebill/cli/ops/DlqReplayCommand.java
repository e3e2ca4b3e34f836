package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill dlq replay}: puts dead-lettered and rejected records back on the topic they came
 * from, byte for byte, once the cause (a missing rate, a bad setting) is fixed. How far it got is
 * a consumer group's committed offset, moved only after the replayed records are acknowledged,
 * so a crash replays some records again rather than losing any; that is harmless because the
 * pipeline applies every charge id once.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-inject the records of a dead-letter or rejected topic into the topic each came from: "
                + "a rejected record's key and value bytes as they are, a dead letter's original key, value and headers.",
                "Progress is kept per dead-letter topic in consumer group rebill-dlq-replay-<topic>, so the next replay "
                        + "only re-injects records that arrived since. It never passes a record skipped by --reason: "
                        + "a later replay starts again at the first of them (and re-injects what followed it, harmlessly).",
                "Replaying is safe to repeat: the pipeline de-duplicates CDRs and the wallet applies a charge id once, "
                        + "so a record replayed twice is never charged twice. A record whose cause is not fixed yet is "
                        + "simply rejected again, and the next replay picks it up."})
public final class DlqReplayCommand implements Callable<Integer> {

    static final String GROUP_PREFIX = "rebill-dlq-replay-";

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DeadLetterFilter filter;

    @Option(names = "--dry-run", description = "Only say what would be replayed; produce nothing and keep the progress as it is.")
    boolean dryRun;

    @Option(names = "--from-beginning", description = "Replay every record on the topic again, not only those since the last replay.")
    boolean fromBeginning;

    @Spec
    CommandSpec spec;

    private final Map<String, Long> replayed = new TreeMap<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Set<String> targets = new TreeSet<>();
    /** Per partition, the first record skipped by --reason: progress must not pass it, it was not replayed. */
    private final Map<TopicPartition, Long> heldAt = new HashMap<>();
    private long withoutTarget;

    @Override
    public Integer call() {
        DeadLetterTopic topic = DeadLetterTopic.named(filter.topic, kafka.topics());
        kafka.requireKafka(topic.name());
        if (topic.needsRegistry()) {
            kafka.requireRegistry();
        }
        long read;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(topic.name()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), DeadLetterScan.STALL_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            startFromProgress(consumer, partitions);
            read = DeadLetterScan.scan(consumer, partitions, batch -> {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                batch.stream().map(topic::decode).forEach(entry -> replay(entry, producer, sent));
                if (!dryRun) {
                    awaitAcknowledged(sent);
                    // Only now: a crash before this line replays the batch again, which the pipeline absorbs.
                    consumer.commitSync(progress(consumer, partitions), DeadLetterScan.STALL_TIMEOUT);
                }
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary(topic.name(), read));
        out.flush();
        return 0;
    }

    private void startFromProgress(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                consumer.committed(Set.copyOf(partitions), DeadLetterScan.STALL_TIMEOUT);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata progress = committed.get(partition);
            if (progress == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, progress);
            }
        }
    }

    private void replay(DeadLetterEntry entry, KafkaProducer<byte[], byte[]> producer, List<Future<RecordMetadata>> sent) {
        if (!filter.matches(entry)) {
            skipped.merge(entry.reasonCode(), 1L, Long::sum);
            heldAt.putIfAbsent(new TopicPartition(entry.topic(), entry.partition()), entry.offset());
            return;
        }
        if (entry.replayTopic() == null) {
            // Never replayable by this tool, so progress may pass it; holding here would block every later record.
            skipped.merge(entry.reasonCode(), 1L, Long::sum);
            withoutTarget++;
            return;
        }
        if (!dryRun) {
            // No partition given: the key picks it, as it did for the original, so a CDR's versions stay together.
            sent.add(producer.send(new ProducerRecord<>(entry.replayTopic(), null, entry.key(), entry.value(),
                    entry.headers())));
        }
        replayed.merge(entry.reasonCode(), 1L, Long::sum);
        targets.add(entry.replayTopic());
    }

    private static void awaitAcknowledged(List<Future<RecordMetadata>> sent) {
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while replaying; progress is saved up to the last full batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Replaying failed, progress is saved up to the last full batch: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Where the next replay starts: after everything read, or at the first record --reason skipped. */
    private Map<TopicPartition, OffsetAndMetadata> progress(KafkaConsumer<byte[], byte[]> consumer,
                                                            List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long offset = heldAt.containsKey(partition) ? heldAt.get(partition)
                    : consumer.position(partition, DeadLetterScan.STALL_TIMEOUT);
            progress.put(partition, new OffsetAndMetadata(offset));
        }
        return progress;
    }

    /** e.g. {@code replayed 3 records from metering.charges.rejected to metering.cdr.raw (NO_RATE 3); skipped 0}. */
    private String summary(String topic, long read) {
        long replayedCount = replayed.values().stream().mapToLong(Long::longValue).sum();
        long skippedCount = skipped.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder line = new StringBuilder(dryRun ? "dry run: would replay " : "replayed ")
                .append(Counts.of(replayedCount, "record")).append(" from ").append(topic);
        if (!targets.isEmpty()) {
            line.append(" to ").append(String.join(", ", targets)).append(" (").append(Counts.byKey(replayed)).append(')');
        }
        line.append("; skipped ").append(skippedCount);
        if (skippedCount > 0) {
            line.append(" (").append(Counts.byKey(skipped)).append(')');
        }
        if (withoutTarget > 0) {
            line.append("; ").append(withoutTarget).append(" of them name no Rebill topic to replay to");
        }
        if (!heldAt.isEmpty() && !dryRun) {
            line.append("; the next replay starts again at the first record skipped by --reason");
        }
        if (read == 0 && !fromBeginning) {
            line.append("; nothing new since the last replay (--from-beginning replays everything again)");
        }
        if (dryRun) {
            line.append("; nothing produced, progress unchanged");
        }
        return line.toString();
    }

    private Map<String, Object> consumerConfig(String topic) {
        Map<String, Object> config = kafka.kafkaConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_PREFIX + topic);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = kafka.kafkaConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }
}
