package io.rebill.cli.kafka;

import io.rebill.metering.MeteringApp;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the whole pipeline has processed records a tool produced: metering-stream has
 * consumed them and anything it re-keyed through its repartition topics, and wallet-stream has
 * consumed every charge and command. Under exactly-once a committed offset moves in the same
 * transaction as the outputs, so once these offsets are reached every charge, ledger entry and
 * balance they caused is visible to read_committed readers.
 */
public final class PipelineProgress {

    private final Map<String, Object> clientConfig;
    private final Topics topics;
    private final Admin admin;
    private final Duration timeout;

    public PipelineProgress(Map<String, Object> clientConfig, Topics topics, Admin admin, Duration timeout) {
        this.clientConfig = clientConfig;
        this.topics = topics;
        this.admin = admin;
        this.timeout = timeout;
    }

    /** @param produced per partition of the usage topics, the offset after the last record produced */
    public void awaitProcessed(Map<TopicPartition, Long> produced) throws InterruptedException {
        ConsumerGroupProgress.awaitCommitted(admin, MeteringApp.APPLICATION_ID, produced, timeout);
        // Re-keyed records were written to the repartition topics in those same transactions.
        Map<TopicPartition, Long> repartitioned = new HashMap<>();
        for (String topic : repartitionTopics(MeteringApp.APPLICATION_ID)) {
            repartitioned.putAll(TopicReader.nextOffsetsAfterLastRecord(clientConfig, topic, timeout));
        }
        ConsumerGroupProgress.awaitCommitted(admin, MeteringApp.APPLICATION_ID, repartitioned, timeout);

        Map<TopicPartition, Long> walletInputs = new HashMap<>();
        for (String topic : List.of(topics.chargesRated.name(), topics.walletCommands.name())) {
            walletInputs.putAll(TopicReader.nextOffsetsAfterLastRecord(clientConfig, topic, timeout));
        }
        ConsumerGroupProgress.awaitCommitted(admin, WalletApp.APPLICATION_ID, walletInputs, timeout);
    }

    private List<String> repartitionTopics(String applicationId) {
        try {
            return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(name -> name.startsWith(applicationId + "-") && name.endsWith("-repartition"))
                    .sorted().toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not list topics to find " + applicationId
                    + "'s repartition topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while listing topics", e);
        }
    }
}
