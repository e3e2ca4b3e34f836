package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.kafka.TopicCreator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What {@code rebill topics create} asks of a cluster: its topic names, and to create topics. The
 * real one is Kafka's Admin client; tests use a map.
 */
public interface TopicAdmin extends AutoCloseable {

    /** How long one admin request may take before the command gives up with a clear line. */
    long TIMEOUT_SECONDS = 60;

    @FunctionalInterface
    interface Opener {
        /** Opens an admin on the cluster the options name, failing with a UserException when it cannot be reached. */
        TopicAdmin open(KafkaOptions kafka);
    }

    /** What happened to one topic asked for. */
    enum Outcome { CREATED, ALREADY_EXISTED, FAILED }

    /** One topic's outcome; {@code reason} says why it failed, else null. */
    record Result(Outcome outcome, String reason) {
    }

    /** The names of the topics the cluster has (internal ones left out). */
    Set<String> topicNames();

    /** Creates the topics, each on its own: one refused does not stop the others. In the order given. */
    Map<String, Result> create(List<NewTopic> topics);

    @Override
    void close();

    /** The real one: checks that Kafka answers before building an Admin client. */
    static TopicAdmin kafka(KafkaOptions kafka) {
        kafka.requireKafka();
        Admin admin = Admin.create(kafka.kafkaConfig());
        return new TopicAdmin() {
            @Override
            public Set<String> topicNames() {
                return get(admin.listTopics().names());
            }

            @Override
            public Map<String, Result> create(List<NewTopic> topics) {
                Map<String, KafkaFuture<Void>> futures = admin.createTopics(topics).values();
                Map<String, Result> results = new LinkedHashMap<>();
                for (NewTopic topic : topics) {
                    results.put(topic.name(), outcome(futures.get(topic.name())));
                }
                List<String> created = results.entrySet().stream()
                        .filter(e -> e.getValue().outcome() == Outcome.CREATED).map(Map.Entry::getKey).toList();
                try {
                    TopicCreator.awaitLeaders(admin, created);
                } catch (ExecutionException | TimeoutException e) {
                    // Created all the same; producers retry until the leaders are elected.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return results;
            }

            @Override
            public void close() {
                admin.close();
            }
        };
    }

    private static Result outcome(KafkaFuture<Void> future) {
        try {
            future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Result(Outcome.CREATED, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                // Someone else created it meanwhile: what was asked for is there.
                return new Result(Outcome.ALREADY_EXISTED, null);
            }
            return new Result(Outcome.FAILED, Optional.ofNullable(e.getCause().getMessage())
                    .orElse(e.getCause().getClass().getSimpleName()));
        } catch (TimeoutException e) {
            return new Result(Outcome.FAILED, "no answer within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.FAILED, "interrupted");
        }
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new io.rebill.cli.UserException("Kafka refused to list its topics: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new io.rebill.cli.UserException("Kafka did not list its topics within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.rebill.cli.UserException("Interrupted while listing topics", e);
        }
    }
}
