package io.rebill.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.kafka.TopicCreator;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.config.ServiceConfig;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.topics.CleanupPolicy;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The proof that Rebill's own serde speaks Confluent's wire format: Kafka and Confluent's own
 * Schema Registry, the images of docker/compose.yml, run in containers; metering-stream and
 * wallet-stream run in this JVM, configured through the same {@code REBILL_CONFIG_*} variables as
 * the compose services, with their serdes pointed at the real registry. A few CDRs go through, the
 * balances on {@code wallet.balances} are checked to the micro-unit, and the bytes on the topics are
 * checked against the schemas Confluent's registry holds under the ids they carry.
 *
 * <p>Without a Docker engine the test is skipped; looking for one takes at most
 * {@link #DOCKER_CHECK_TIMEOUT}.
 */
class ConfluentRegistryIT {

    private static final Duration DOCKER_CHECK_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean dockerAvailable;
    private static Network network;
    private static KafkaContainer kafka;
    private static GenericContainer<?> registry;
    private static String registryUrl;
    private static Topics topics;
    private static Map<String, Object> clientConfig;
    private static final List<KafkaStreams> streams = new ArrayList<>();

    @TempDir
    static Path stateDir;

    /** Hand-worked as in PipelineIT: cost = billed seconds x rate / 60 (+ connect fee), price = cost x multiplier. */
    private static final List<CallDetailRecord> CALLS = List.of(
            // US 13,000/min 6/6: 61 s -> 66 s -> 14,300; acme-dental 1.05x -> 15,015
            call("c-1", "acme-agency", "acme-dental", "+12124567890", "2026-11-10T10:00:00Z", 61),
            // UK mobile 95,000/min 30/6 + 1,500: 31 s -> 36 s -> 58,500; acme-law 2.5x -> 146,250
            call("c-2", "acme-agency", "acme-law", "+447911123456", "2026-11-10T11:00:00Z", 31),
            // Jamaica 215,000/min 60/60: 59 s -> 60 s -> 215,000; nova-cafe 1.05x -> 225,750
            call("c-5", "nova-media", "nova-cafe", "+18762345678", "2026-11-10T13:00:00Z", 59));

    private static final Map<String, Long> DEBITS = Map.of(
            "acme-agency", 14_300L + 58_500,
            "acme-agency/acme-dental", 15_015L,
            "acme-agency/acme-law", 146_250L,
            "nova-media", 215_000L,
            "nova-media/nova-cafe", 225_750L);

    @BeforeAll
    static void startContainersAndServices() throws Exception {
        dockerAvailable = dockerAvailable();
        if (!dockerAvailable) {
            return; // each test is then reported as skipped, with the reason (see requireDocker)
        }

        ComposeFile compose = ComposeFile.load(ComposeFile.repositoryRoot().resolve("docker/compose.yml"));
        network = Network.newNetwork();
        kafka = new KafkaContainer(DockerImageName.parse(compose.service("kafka").image().orElseThrow()))
                .withNetwork(network)
                .withNetworkAliases("kafka")
                .withListener("kafka:19092");
        kafka.start();
        registry = new GenericContainer<>(DockerImageName.parse(compose.service("schema-registry").image().orElseThrow()))
                .withNetwork(network)
                .withNetworkAliases("schema-registry")
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(TIMEOUT));
        registry.start();
        registryUrl = "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);

        clientConfig = new HashMap<>();
        clientConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        clientConfig.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        topics = Topics.create(clientConfig);
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            assertThat(TopicCreator.createMissing(admin, topics, (short) 1)).hasSize(topics.all().size());
        }
        try (CatalogProducer producer = new CatalogProducer(clientConfig)) {
            DemoData.rateCard().forEach(e -> producer.send(topics.rateCard, RateCardKey.of(e), e));
            DemoData.rebillingSettings().forEach(s -> producer.send(topics.rebillingSettings, RebillingSettingsKey.of(s), s));
            DemoData.openingTopUps().forEach(c -> producer.send(topics.walletCommands, c.getWorkspaceId(), c));
            producer.flush();
        }

        // Configured as docker/compose.yml configures the containers: by environment variables only.
        Map<String, String> env = Map.of(
                "REBILL_CONFIG_BOOTSTRAP_SERVERS", kafka.getBootstrapServers(),
                "REBILL_CONFIG_SCHEMA_REGISTRY_URL", registryUrl,
                "REBILL_CONFIG_REBILL_WALLET_HTTP_PORT", "-1");
        streams.add(MeteringApp.create(MeteringApp.config(new String[0], withStateDir(env, "metering"))));
        streams.add(WalletApp.create(WalletApp.config(new String[0], withStateDir(env, "wallet"))));
        streams.forEach(KafkaStreams::start);
        await().atMost(TIMEOUT).until(() -> streams.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING));
    }

    @BeforeEach
    void requireDocker() {
        Assumptions.assumeTrue(dockerAvailable, "No Docker engine answered within "
                + DOCKER_CHECK_TIMEOUT.toSeconds() + " s; ConfluentRegistryIT needs one to run Kafka and Confluent's "
                + "Schema Registry in containers (ComposeFileTest checks the compose file without one)");
    }

    @AfterAll
    static void stop() {
        streams.forEach(s -> s.close(Duration.ofSeconds(30)));
        if (registry != null) {
            registry.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void shouldChargeBothWalletsThroughConfluentsSchemaRegistryInItsWireFormat() throws Exception {
        Map<TopicPartition, Long> sent;
        try (CatalogProducer producer = new CatalogProducer(clientConfig)) {
            CALLS.forEach(c -> producer.send(topics.cdrRaw, ChargeIds.cdrKey(c.getCarrierId(), c.getCdrId()), c));
            sent = producer.flush();
        }
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            new PipelineProgress(clientConfig, topics, admin, TIMEOUT).awaitProcessed(sent);
        }

        // The balances, read back through the same registry, are the hand-worked ones.
        Map<String, Long> expected = new HashMap<>(DemoData.openingBalances());
        DEBITS.forEach((wallet, debit) -> expected.merge(wallet, -debit, Long::sum));
        Map<String, Long> balances = new LinkedHashMap<>();
        TopicReader.readAll(clientConfig, topics.walletBalances, TIMEOUT)
                .forEach(r -> balances.put(r.value().getWalletId(), r.value().getBalanceMicros()));
        assertThat(balances).isEqualTo(expected);

        // Confluent's registry holds each schema under the topic's TopicNameStrategy subject ...
        JsonNode subjects = get("/subjects");
        List<String> subjectNames = new ArrayList<>();
        subjects.forEach(s -> subjectNames.add(s.asText()));
        assertThat(subjectNames).contains("metering.cdr.raw-value", "metering.charges.rated-value",
                "wallet.commands-value", "wallet.balances-value");

        // ... and every record on wallet.balances is magic byte 0, then the 4-byte id Confluent gave
        // WalletBalance's schema, then Avro binary.
        int latestId = get("/subjects/wallet.balances-value/versions/latest").path("id").asInt();
        Topic<byte[], byte[]> rawBalances = new Topic<>(topics.walletBalances.name(), Serdes.ByteArray(),
                Serdes.ByteArray(), Topics.DEFAULT_PARTITIONS, CleanupPolicy.COMPACT);
        List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(clientConfig, rawBalances, TIMEOUT);
        assertThat(raw).hasSizeGreaterThanOrEqualTo(balances.size()).allSatisfy(record -> {
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            assertThat(bytes.get()).isEqualTo((byte) 0);
            assertThat(bytes.getInt()).isEqualTo(latestId);
        });
        // The schema behind that id is WalletBalance's, in Avro's parsing canonical form (what the bytes depend on).
        Schema registered = new Schema.Parser().parse(get("/schemas/ids/" + latestId).path("schema").asText());
        assertThat(SchemaNormalization.parsingFingerprint64(registered))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(WalletBalance.getClassSchema()));
        assertThat(registered.getFullName()).isEqualTo(WalletBalance.getClassSchema().getFullName());
    }

    /** Whether a Docker engine answers, asked on a daemon thread so a hanging lookup cannot hang the build. */
    private static boolean dockerAvailable() {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "docker-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return CompletableFuture.supplyAsync(() -> DockerClientFactory.instance().isDockerAvailable(), executor)
                    .get(DOCKER_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        } finally {
            executor.shutdownNow();
        }
    }

    private static Map<String, String> withStateDir(Map<String, String> env, String service) throws IOException {
        Map<String, String> withState = new HashMap<>(env);
        withState.put(ServiceConfig.environmentVariable("state.dir"),
                Files.createDirectories(stateDir.resolve(service)).toString());
        return withState;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registryUrl + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static CallDetailRecord call(String id, String workspace, String subAccount, String to, String start,
                                         int seconds) {
        Instant startTime = Instant.parse(start);
        return CallDetailRecord.newBuilder().setCarrierId("carrier-it").setCdrId(id).setVersion(1)
                .setWorkspaceId(workspace).setSubAccountId(subAccount).setCallId("call-" + id)
                .setService(CallService.VOICE).setDirection(Direction.OUTBOUND)
                .setFromNumber("+14157670100").setToNumber(to)
                .setStartTime(startTime).setAnswerTime(startTime.plusSeconds(4))
                .setEndTime(startTime.plusSeconds(4 + seconds)).setBillableSeconds(seconds)
                .setDisposition(CallDisposition.ANSWERED).build();
    }
}
