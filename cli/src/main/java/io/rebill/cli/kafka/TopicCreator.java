package io.rebill.cli.kafka;

import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates the catalog's topics that do not exist yet; existing topics are left as they are. */
public final class TopicCreator {

    /**
     * What creating the catalog on a cluster would do.
     *
     * @param missing the catalog's topics the cluster lacks, as they would be created, in catalog order
     * @param existing the catalog's topics the cluster already has, in catalog order
     */
    public record Plan(List<NewTopic> missing, List<String> existing) {

        public Plan {
            missing = List.copyOf(missing);
            existing = List.copyOf(existing);
        }
    }

    private TopicCreator() {
    }

    /** Returns the names it created. */
    public static List<String> createMissing(Admin admin, Topics topics, short replicationFactor)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = plan(existing, topics, Optional.empty(), Optional.of(replicationFactor)).missing();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        }
        return missing.stream().map(NewTopic::name).toList();
    }

    /**
     * Which of the catalog's topics a cluster with the {@code existing} topics lacks, each with its
     * cleanup policy and the given partitions (else the catalog's) and replication factor (else
     * the broker's default).
     */
    public static Plan plan(Set<String> existing, Topics topics, Optional<Integer> partitions,
                            Optional<Short> replicationFactor) {
        List<NewTopic> missing = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            if (existing.contains(topic.name())) {
                present.add(topic.name());
            } else {
                missing.add(new NewTopic(topic.name(), Optional.of(partitions.orElse(topic.partitions())),
                        replicationFactor).configs(topic.configs()));
            }
        }
        return new Plan(missing, present);
    }

    /** New partitions take a moment to get a leader; producing before that only earns retries. */
    public static void awaitLeaders(Admin admin, List<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (names.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean ready;
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                ready = described.values().stream().allMatch(d -> d.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (ExecutionException e) {
                // Just created: the broker's metadata may not list the topic yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Partitions of " + names + " have no leader after 30 s");
            }
            Thread.sleep(100);
        }
    }
}
