package io.rebill.cli.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a stream application has processed given records. Under exactly-once a group's
 * committed offset moves in the same transaction as the outputs, so once it passes a record,
 * everything that record produced is visible to read_committed readers.
 */
public final class ConsumerGroupProgress {

    private ConsumerGroupProgress() {
    }

    /**
     * @param nextOffsets for each partition, the offset after the last record that must be processed
     */
    public static void awaitCommitted(Admin admin, String groupId, Map<TopicPartition, Long> nextOffsets,
                                      Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> behind = nextOffsets;
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                committed = Map.of();
            }
            Map<TopicPartition, OffsetAndMetadata> now = committed;
            behind = nextOffsets.entrySet().stream()
                    .filter(e -> now.get(e.getKey()) == null || now.get(e.getKey()).offset() < e.getValue())
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            if (behind.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Group " + groupId + " has not processed up to " + behind
                        + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
