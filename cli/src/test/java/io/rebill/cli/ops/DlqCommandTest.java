package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.AvroSerdeConfig;
import io.rebill.topics.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Argument handling of {@code rebill dlq}; everything here fails before any record is read, so no broker is needed. */
class DlqCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"list", "replay"})
    void shouldExit2ListingTheAllowedTopicsWhenTopicIsUnknown(String subcommand) throws Exception {
        // A closed port too: the topic must be refused before anything tries to connect.
        CliRun run = CliRun.of("dlq", subcommand, "--topic", "metering.cdr.raw",
                "--bootstrap-servers", "127.0.0.1:" + CliRun.closedPort());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: --topic 'metering.cdr.raw' is not a dead-letter topic; choose one of "
                + "metering.charges.rejected, wallet.rejected, metering.dead-letter, wallet.dead-letter, billing.dead-letter\n");
    }

    @Test
    void shouldExit2WhenLimitIsNotPositive() {
        CliRun run = CliRun.of("dlq", "list", "--limit", "0");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: --limit must be at least 1, got 0\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "replay"})
    void shouldExit2WithTheClearMessageWithinSecondsWhenKafkaIsUnreachable(String subcommand) throws Exception {
        int port = CliRun.closedPort();

        long start = System.nanoTime();
        CliRun run = CliRun.of("dlq", subcommand, "--topic", "wallet.dead-letter", "--bootstrap-servers", "127.0.0.1:" + port);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: Kafka at 127.0.0.1:" + port + " is not reachable; is `rebill up` running?\n");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void shouldNameExactlyTheCatalogsDeadLetterTopicsInHelpAndErrors() {
        Topics topics = Topics.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://dlq-command-test"));

        assertThat(String.join(", ", DeadLetterTopic.all(topics).keySet())).isEqualTo(DeadLetterTopic.NAMES);
        assertThat(DeadLetterTopic.all(topics)).containsKeys(topics.chargesRejected.name(), topics.walletRejected.name(),
                topics.meteringDeadLetter.name(), topics.walletDeadLetter.name());
    }

    @Test
    void shouldSayReplayIsSafeToRepeatAndWhereProgressIsKeptInHelp() {
        CliRun run = CliRun.of("dlq", "replay", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill dlq replay").contains("--dry-run").contains("--from-beginning")
                .contains("--reason=CODE").contains("--topic=TOPIC").contains("rebill-dlq-replay-<topic>")
                .contains("safe to repeat").contains("de-duplicates CDRs").contains("applies a charge id once");
    }

    @Test
    void shouldShowDefaultsOfListOptionsInHelp() {
        CliRun run = CliRun.of("dlq", "list", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill dlq list").contains("--limit=N").contains("(default: 100)")
                .contains("Default: metering.charges.rejected");
    }

    @Test
    void shouldListImportAndDlqInRootHelp() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("import").contains("dlq");
    }
}
