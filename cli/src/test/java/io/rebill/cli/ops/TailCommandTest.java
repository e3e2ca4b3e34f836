package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TailCommandTest {

    private static final Topics CATALOG = Topics.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://tail-command-test"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-22T09:30:00.123Z");

    private final Deque<List<ConsumerRecord<byte[], byte[]>>> batches = new ArrayDeque<>();
    private final FakeTicker ticker = new FakeTicker();
    private final List<String> opened = new ArrayList<>();

    @Test
    void shouldPrintEachAvroRecordAsOneJsonLineWithKeyPartitionOffsetTimestampAndValue() throws Exception {
        RebillingSettings settings = RebillingSettings.newBuilder().setWorkspaceId("acme-agency")
                .setSubAccountId("acme-law").setRebillingEnabled(true).setVoiceMultiplierBasisPoints(25_000)
                .setFixedResalePricesMicros(Map.of("phone-number", 2_500_000L)).setUpdatedAt(T0).build();
        RebillingSettings workspace = RebillingSettings.newBuilder().setWorkspaceId("acme-agency")
                .setRebillingEnabled(false).setUpdatedAt(T0).build();
        batches.add(List.of(avro(CATALOG.rebillingSettings, 2, 17, "acme-agency/acme-law", settings),
                avro(CATALOG.rebillingSettings, 0, 3, "acme-agency", workspace)));

        CliRun run = run("tail", "metering.rebilling-settings", "--from-beginning", "--max", "2");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(opened).containsExactly("metering.rebilling-settings from-beginning=true registry=true");
        List<String> lines = run.out.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("topic").asText()).isEqualTo("metering.rebilling-settings");
        assertThat(first.path("partition").asInt()).isEqualTo(2);
        assertThat(first.path("offset").asLong()).isEqualTo(17);
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-11-22T09:30:00.123Z");
        assertThat(first.path("key").asText()).isEqualTo("acme-agency/acme-law");
        JsonNode value = first.path("value");
        assertThat(value.path("subAccountId").asText()).as("a nullable field is just its value").isEqualTo("acme-law");
        assertThat(value.path("voiceMultiplierBasisPoints").asInt()).isEqualTo(25_000);
        assertThat(value.path("fixedResalePricesMicros").path("phone-number").asLong()).isEqualTo(2_500_000L);
        assertThat(value.path("updatedAt").asText()).isEqualTo("2026-11-22T09:30:00.123Z");
        assertThat(JSON.readTree(lines.get(1)).path("value").path("subAccountId").isNull()).isTrue();
        assertThat(run.err).isEqualTo("rebill tail: stopped after 2 records (--max)\n");
    }

    @Test
    void shouldNameTheBranchOfAUnionOfRecordsSuchAsAWalletCommandsPayload() throws Exception {
        WalletCommand command = WalletCommand.newBuilder().setCommandId("c-1").setWorkspaceId("nova-media")
                .setIssuedAt(T0).setPayload(new TopUp(12_500_000L, "USD", "BANK-1", null)).build();
        batches.add(List.of(avro(CATALOG.walletCommands, 0, 0, "nova-media", command)));

        CliRun run = run("tail", "wallet.commands", "--max", "1");

        JsonNode payload = JSON.readTree(run.out).path("value").path("payload");
        assertThat(payload.path("TopUp").path("amountMicros").asLong()).as("money stays exact micro-units")
                .isEqualTo(12_500_000L);
        assertThat(payload.path("TopUp").path("currency").asText()).isEqualTo("USD");
        assertThat(opened).containsExactly("wallet.commands from-beginning=false registry=true");
    }

    @Test
    void shouldPrintRawDeadLetterValuesAsBase64WithTheirHeaders() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException"
                .getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.offset", "42".getBytes(StandardCharsets.UTF_8));
        headers.add("binary", new byte[] {(byte) 0xff, 0x00});
        byte[] garbage = {0x00, 0x00, 0x00, 0x00, 0x07, (byte) 0xfe};
        batches.add(List.of(record("metering.dead-letter", 4, 9, "carrier-a:cdr-1".getBytes(StandardCharsets.UTF_8),
                garbage, headers)));

        CliRun run = run("tail", "metering.dead-letter", "--from-beginning", "--max", "1");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(opened).containsExactly("metering.dead-letter from-beginning=true registry=false");
        JsonNode line = JSON.readTree(run.out);
        assertThat(line.path("key").asText()).isEqualTo("carrier-a:cdr-1");
        assertThat(Base64.getDecoder().decode(line.path("valueBase64").asText())).isEqualTo(garbage);
        assertThat(line.path("headers").path("__streams.errors.exception").asText()).endsWith("SerializationException");
        assertThat(line.path("headers").path("__streams.errors.offset").asText()).isEqualTo("42");
        assertThat(line.path("headers").path("binary").path("base64").asText()).isEqualTo("/wA=");
        assertThat(line.has("value")).isFalse();
    }

    @Test
    void shouldStopWhenNoRecordArrivesForTheTimeout() {
        batches.add(List.of(avro(CATALOG.rebillingSettings, 0, 0, "ws", RebillingSettings.newBuilder()
                .setWorkspaceId("ws").setRebillingEnabled(true).setUpdatedAt(T0).build())));

        CliRun run = run("tail", "metering.rebilling-settings", "--timeout", "3");

        assertThat(run.exitCode).isZero();
        assertThat(run.out.lines()).hasSize(1);
        // The record came with the first poll, 1 ms in.
        assertThat(ticker.now).as("stopped 3 s after the last record").isEqualTo(3_001_000_000L);
        assertThat(run.err).isEqualTo("rebill tail: stopped after 1 record: none for 3 s (--timeout)\n");
    }

    @Test
    void shouldFollowUntilMaxWhenRecordsArriveInSeveralPolls() {
        for (int i = 0; i < 4; i++) {
            batches.add(List.of());
            batches.add(List.of(avro(CATALOG.rebillingSettings, 0, i, "ws-" + i, RebillingSettings.newBuilder()
                    .setWorkspaceId("ws-" + i).setRebillingEnabled(true).setUpdatedAt(T0).build())));
        }

        CliRun run = run("tail", "metering.rebilling-settings", "--max", "3");

        assertThat(run.out.lines().map(l -> l.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1")).collect(Collectors.toList()))
                .containsExactly("ws-0", "ws-1", "ws-2");
        assertThat(batches).as("the poll with the fourth record never happened").hasSize(2);
    }

    @Test
    void shouldExit1AndShowTheBytesOfARecordThatCannotBeDecoded() throws Exception {
        byte[] notAvro = "hello".getBytes(StandardCharsets.UTF_8);
        batches.add(List.of(record("wallet.commands", 1, 5, "ws".getBytes(StandardCharsets.UTF_8), notAvro,
                new RecordHeaders())));

        CliRun run = run("tail", "wallet.commands", "--max", "1");

        assertThat(run.exitCode).isEqualTo(1);
        JsonNode line = JSON.readTree(run.out);
        assertThat(line.path("error").asText()).startsWith("cannot be decoded");
        assertThat(line.path("valueBase64").asText()).isEqualTo(Base64.getEncoder().encodeToString(notAvro));
        assertThat(run.err).contains("1 record could not be decoded");
    }

    @Test
    void shouldExit2ListingTheCatalogsTopicsForAnUnknownTopic() {
        CliRun run = run("tail", "metering.charges");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: unknown topic 'metering.charges'; choose one of "
                + CATALOG.all().stream().map(Topic::name).collect(Collectors.joining(", ")) + "\n");
        assertThat(opened).isEmpty();
    }

    @Test
    void shouldRefuseInvalidArgumentsWithExitCode2() {
        assertThat(run("tail", "wallet.ledger", "--max", "0").err).isEqualTo("rebill: --max must be at least 1, got 0\n");
        assertThat(run("tail", "wallet.ledger", "--timeout", "-1").err)
                .isEqualTo("rebill: --timeout must be a positive number of seconds, got -1.0\n");
        CliRun missing = run("tail");
        assertThat(missing.exitCode).isEqualTo(2);
        assertThat(missing.err).contains("Missing required parameter: 'TOPIC'");
        assertThat(opened).isEmpty();
    }

    @Test
    void shouldExit2WithOneLineWhenKafkaIsNotReachable() throws Exception {
        int port = CliRun.closedPort();

        CliRun run = CliRun.of("tail", "wallet.ledger", "--bootstrap-servers", "127.0.0.1:" + port);

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: Kafka at 127.0.0.1:" + port + " is not reachable; is `rebill up` running?\n");
    }

    @Test
    void shouldDocumentOptionsAndExitCodesInHelp() {
        CliRun run = CliRun.of("tail", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill tail").contains("TOPIC").contains("--from-beginning")
                .contains("--max=N").contains("--timeout=SEC").contains("valueBase64").contains("Exit codes:");
    }

    private static <V> ConsumerRecord<byte[], byte[]> avro(Topic<String, V> topic, int partition, long offset, String key,
                                                           V value) {
        return record(topic.name(), partition, offset, key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value), new RecordHeaders());
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] key,
                                                         byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, partition, offset, T0.toEpochMilli(), TimestampType.CREATE_TIME,
                key.length, value.length, key, value, headers, Optional.empty());
    }

    private CliRun run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == TailCommand.class) {
                    return type.cast(new TailCommand((kafka, topic, fromBeginning, registry) -> {
                        opened.add(topic + " from-beginning=" + fromBeginning + " registry=" + registry);
                        return new TailSource() {
                            @Override
                            public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
                                if (batches.isEmpty()) {
                                    ticker.now += timeout.toNanos();
                                    return List.of();
                                }
                                ticker.now += 1_000_000;
                                return batches.poll();
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }, kafka -> CATALOG, ticker));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return CliRun.with(factory, args);
    }

    private static final class FakeTicker implements Ticker {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }
}
