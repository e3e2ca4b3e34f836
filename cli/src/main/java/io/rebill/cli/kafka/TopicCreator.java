package io.rebill.cli.kafka;

import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

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
        }
        return missing.stream().map(NewTopic::name).toList();
    }
}
