package io.rebill.cli.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a dead-letter topic from wherever the consumer stands up to the end the topic had when
 * the scan began, one polled batch at a time, so a topic of any size is read in bounded memory
 * and a replay can acknowledge and commit batch by batch.
 */
final class DeadLetterScan {

    /** How long a scan may go without receiving anything while records remain before its end. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    @FunctionalInterface
    interface BatchHandler {
        void accept(List<ConsumerRecord<byte[], byte[]>> batch);
    }

    private DeadLetterScan() {
    }

    /** Returns how many records were read. */
    static long scan(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions, BatchHandler handler) {
        // For a read_committed consumer these are the last stable offsets: open transactions are not waited for.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, STALL_TIMEOUT);
        long read = 0;
        long deadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, STALL_TIMEOUT) < end.get(p))) {
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
            if (polled.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    String topic = partitions.iterator().next().topic();
                    throw new IllegalStateException("Could not read " + topic + " to its end: nothing received for "
                            + STALL_TIMEOUT.toSeconds() + " s");
                }
                continue;
            }
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(polled.count());
            polled.forEach(batch::add);
            handler.accept(batch);
            read += batch.size();
            deadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
        }
        return read;
    }
}
