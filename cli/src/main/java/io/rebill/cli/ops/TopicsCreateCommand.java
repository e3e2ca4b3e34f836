package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import io.rebill.cli.kafka.TopicCreator;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill topics create}: every topic of the catalog that the cluster lacks, with the
 * catalog's cleanup policy. Topics that exist are left as they are, so running it again is safe.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create the catalog's topics that the Kafka cluster does not have yet.",
                "Each new topic gets its cleanup policy (compacted or not) from the catalog, and the catalog's "
                        + "partition count unless --partitions is given.",
                "Existing topics are left as they are, so running it again is safe; each topic is reported as "
                        + "created or already existing."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every topic of the catalog exists now (or would be created, with --dry-run)",
                "1:Kafka refused to create some topics (each is named on stderr with the reason)",
                "2:an argument is invalid, or Kafka cannot be reached"})
public final class TopicsCreateCommand implements Callable<Integer> {

    private final TopicAdmin.Opener admins;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of each new topic. Default: the catalog's (" + Topics.DEFAULT_PARTITIONS
                    + "); charges and wallet commands must have the same count.")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "R",
            description = "Replicas of each new topic. Default: the broker's default.replication.factor.")
    Integer replicationFactor;

    @Option(names = "--dry-run", description = "Only report which topics would be created; create nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    public TopicsCreateCommand() {
        this(TopicAdmin::kafka);
    }

    /** With another admin, for tests that check what would be created without a broker. */
    public TopicsCreateCommand(TopicAdmin.Opener admins) {
        this.admins = admins;
    }

    @Override
    public Integer call() {
        if (partitions != null && partitions < 1) {
            throw new UserException("--partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor != null && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
            throw new UserException("--replication-factor must be at least 1, got " + replicationFactor);
        }
        Topics topics = kafka.topics();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TopicAdmin admin = admins.open(kafka)) {
            TopicCreator.Plan plan = TopicCreator.plan(admin.topicNames(), topics, Optional.ofNullable(partitions),
                    Optional.ofNullable(replicationFactor).map(Integer::shortValue));
            Map<String, NewTopic> missing = new LinkedHashMap<>();
            plan.missing().forEach(topic -> missing.put(topic.name(), topic));
            if (dryRun) {
                for (Topic<?, ?> topic : topics.all()) {
                    NewTopic create = missing.get(topic.name());
                    out.println(create == null ? "exists        " + topic.name() : "would create  " + describe(create));
                }
                out.println("dry run: " + Counts.of(missing.size(), "topic") + " would be created, "
                        + plan.existing().size() + " already exist; nothing created");
                out.flush();
                return 0;
            }
            Map<String, TopicAdmin.Result> results = missing.isEmpty() ? Map.of() : admin.create(plan.missing());
            int created = 0;
            int existed = 0;
            int failed = 0;
            for (Topic<?, ?> topic : topics.all()) {
                NewTopic create = missing.get(topic.name());
                TopicAdmin.Result result = create == null ? new TopicAdmin.Result(TopicAdmin.Outcome.ALREADY_EXISTED, null)
                        : results.getOrDefault(topic.name(),
                                new TopicAdmin.Result(TopicAdmin.Outcome.FAILED, "no answer from Kafka"));
                switch (result.outcome()) {
                    case CREATED:
                        created++;
                        out.println("created       " + describe(create));
                        break;
                    case ALREADY_EXISTED:
                        existed++;
                        out.println("exists        " + topic.name());
                        break;
                    default:
                        failed++;
                        out.println("FAILED        " + topic.name());
                        err.println("rebill: could not create " + topic.name() + ": " + result.reason());
                        break;
                }
            }
            out.println(Counts.of(topics.all().size(), "topic") + " in the catalog: " + created + " created, "
                    + existed + " already existed" + (failed > 0 ? ", " + failed + " failed" : ""));
            out.flush();
            err.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    private static String describe(NewTopic topic) {
        String replication = topic.replicationFactor() < 0 ? "the broker's replication factor"
                : "replication factor " + topic.replicationFactor();
        return topic.name() + " (" + Counts.of(topic.numPartitions(), "partition") + ", " + replication
                + ", cleanup.policy=" + topic.configs().get("cleanup.policy") + ")";
    }
}
