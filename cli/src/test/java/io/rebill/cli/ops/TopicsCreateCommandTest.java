package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.AvroSerdeConfig;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCreateCommandTest {

    private static final Topics CATALOG = Topics.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://topics-create"));

    /** The cluster: topic name to how it was created (null for topics that were there before). */
    private final Map<String, NewTopic> cluster = new LinkedHashMap<>();
    private final List<List<NewTopic>> createCalls = new ArrayList<>();
    private final Map<String, String> refusals = new LinkedHashMap<>();
    private boolean opened;

    @Test
    void shouldCreateEveryMissingCatalogTopicWithItsCleanupPolicyAndReportTheOthersAsExisting() {
        cluster.put("metering.cdr.raw", null);
        cluster.put("wallet.balances", null);
        cluster.put("some.other-topic", null);

        CliRun run = run("topics", "create");

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<String> catalog = CATALOG.all().stream().map(Topic::name).toList();
        assertThat(createCalls).hasSize(1);
        assertThat(createCalls.get(0)).extracting(NewTopic::name)
                .containsExactlyElementsOf(catalog.stream()
                        .filter(name -> !name.equals("metering.cdr.raw") && !name.equals("wallet.balances")).toList());
        for (Topic<?, ?> topic : CATALOG.all()) {
            if (!topic.name().equals("metering.cdr.raw") && !topic.name().equals("wallet.balances")) {
                NewTopic created = cluster.get(topic.name());
                assertThat(created.configs()).as(topic.name())
                        .containsEntry("cleanup.policy", topic.cleanupPolicy().configValue());
                assertThat(created.numPartitions()).isEqualTo(Topics.DEFAULT_PARTITIONS);
                assertThat(created.replicationFactor()).as("the broker's default").isEqualTo((short) -1);
            }
        }
        assertThat(cluster.get("metering.rebilling-settings").configs()).containsEntry("cleanup.policy", "compact");
        assertThat(run.out).contains("exists        metering.cdr.raw\n")
                .contains("created       metering.rate-card (6 partitions, the broker's replication factor, "
                        + "cleanup.policy=compact)\n")
                .endsWith(catalog.size() + " topics in the catalog: " + (catalog.size() - 2) + " created, "
                        + "2 already existed\n");
        assertThat(run.err).isEmpty();
    }

    @Test
    void shouldCreateNothingTheSecondTimeBecauseEveryTopicExists() {
        run("topics", "create", "--partitions", "3", "--replication-factor", "1");

        CliRun again = run("topics", "create");

        assertThat(again.exitCode).isZero();
        assertThat(createCalls).hasSize(1);
        assertThat(again.out).doesNotContain("created  ")
                .endsWith(CATALOG.all().size() + " topics in the catalog: 0 created, " + CATALOG.all().size()
                        + " already existed\n");
        assertThat(cluster.values()).allSatisfy(topic -> {
            assertThat(topic.numPartitions()).isEqualTo(3);
            assertThat(topic.replicationFactor()).isEqualTo((short) 1);
        });
    }

    @Test
    void shouldOnlyReportWhatWouldBeCreatedOnADryRun() {
        cluster.put("wallet.commands", null);

        CliRun run = run("topics", "create", "--dry-run");

        assertThat(run.exitCode).isZero();
        assertThat(createCalls).isEmpty();
        assertThat(cluster).containsOnlyKeys("wallet.commands");
        assertThat(run.out).contains("would create  metering.cdr.raw (6 partitions").contains("exists        wallet.commands")
                .endsWith("dry run: " + (CATALOG.all().size() - 1) + " topics would be created, 1 already exist; "
                        + "nothing created\n");
    }

    @Test
    void shouldExit1NamingEachTopicKafkaRefusedAndStillCreateTheOthers() {
        refusals.put("wallet.ledger", "Replication factor: 3 larger than available brokers: 1.");

        CliRun run = run("topics", "create", "--replication-factor", "3");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).isEqualTo("rebill: could not create wallet.ledger: Replication factor: 3 larger than "
                + "available brokers: 1.\n");
        assertThat(cluster).hasSize(CATALOG.all().size() - 1).doesNotContainKey("wallet.ledger");
        assertThat(run.out).contains("FAILED        wallet.ledger\n").endsWith(", 1 failed\n");
    }

    @Test
    void shouldRefuseInvalidCountsWithExitCode2BeforeConnecting() {
        CliRun zero = run("topics", "create", "--partitions", "0");
        CliRun negative = run("topics", "create", "--replication-factor", "-1");
        CliRun notANumber = run("topics", "create", "--partitions", "six");

        assertThat(zero.exitCode).isEqualTo(2);
        assertThat(zero.err).isEqualTo("rebill: --partitions must be at least 1, got 0\n");
        assertThat(negative.exitCode).isEqualTo(2);
        assertThat(negative.err).isEqualTo("rebill: --replication-factor must be at least 1, got -1\n");
        assertThat(notANumber.exitCode).isEqualTo(2);
        assertThat(notANumber.err).contains("Invalid value for option '--partitions': 'six' is not an int");
        assertThat(opened).isFalse();
    }

    @Test
    void shouldExit2WithOneLineWhenKafkaIsNotReachable() throws Exception {
        int port = CliRun.closedPort();

        CliRun run = CliRun.of("topics", "create", "--bootstrap-servers", "127.0.0.1:" + port);

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: Kafka at 127.0.0.1:" + port + " is not reachable; is `rebill up` running?\n");
    }

    @Test
    void shouldDocumentOptionsAndExitCodesInHelp() {
        CliRun run = CliRun.of("topics", "create", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill topics create").contains("--partitions=N")
                .contains("--replication-factor=R").contains("--dry-run").contains("--bootstrap-servers")
                .contains("Exit codes:").contains("Kafka refused to create some topics");
    }

    private CliRun run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == TopicsCreateCommand.class) {
                    return type.cast(new TopicsCreateCommand(kafka -> {
                        opened = true;
                        return new FakeAdmin();
                    }));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return CliRun.with(factory, args);
    }

    private final class FakeAdmin implements TopicAdmin {

        @Override
        public Set<String> topicNames() {
            return new TreeSet<>(cluster.keySet());
        }

        @Override
        public Map<String, Result> create(List<NewTopic> topics) {
            createCalls.add(topics);
            Map<String, Result> results = new LinkedHashMap<>();
            for (NewTopic topic : topics) {
                if (refusals.containsKey(topic.name())) {
                    results.put(topic.name(), new Result(Outcome.FAILED, refusals.get(topic.name())));
                } else {
                    cluster.put(topic.name(), topic);
                    results.put(topic.name(), new Result(Outcome.CREATED, null));
                }
            }
            return results;
        }

        @Override
        public void close() {
        }
    }
}
