package io.rebill.cli.kafka;

import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/** Creates the catalog's topics that do not exist yet; existing topics are left as they are. */
public final class TopicCreator {

    private TopicCreator() {
    }

    /** Returns the names it created. */
    public static List<String> createMissing(Admin admin, Topics topics, short replicationFactor)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            if (!existing.contains(topic.name())) {
                missing.add(new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs()));
            }
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        }
        return missing.stream().map(NewTopic::name).toList();
    }

    /** New partitions take a moment to get a leader; producing before that only earns retries. */
    private static void awaitLeaders(Admin admin, List<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            boolean ready = described.values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
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
