package io.rebill.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.rebill.billing.BillingConfig;
import io.rebill.billing.BillingSinkApp;
import io.rebill.cli.RebillCli;
import io.rebill.config.ServiceConfig;
import io.rebill.deploy.ComposeFile.Port;
import io.rebill.deploy.ComposeFile.Service;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.MeteringConfig;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.WalletConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import picocli.CommandLine;

/**
 * docker/compose.yml and docker/Dockerfile checked against the code they deploy, without Docker:
 * every image can be built from what the Maven build makes, every command starts something that
 * exists, every environment variable sets a key its service reads, the ports are the ones the
 * services listen on, and scaled-out wallet-stream replicas form one application.
 */
class ComposeFileTest {

    private static final String KAFKA = "kafka";
    private static final String REGISTRY = "schema-registry";
    private static final String TOPICS = "topics";
    private static final Map<String, Class<?>> SERVICES = Map.of(
            "metering-stream", MeteringApp.class,
            "wallet-stream", WalletApp.class,
            "billing-sink", BillingSinkApp.class);

    /**
     * What other issue-6 branches add while this one is reviewed: the checks that need them are
     * skipped, with this reason, until they are merged. Delete an entry once its branch is in.
     */

    /** The environment `docker compose` runs in: nothing set, so every ${VAR:-default} takes its default. */
    private static final Map<String, String> BARE_HOST = Map.of();
    private static final Pattern JAVA_MAJOR = Pattern.compile("eclipse-temurin:(\\d+)-jre.*");

    private static Path root;
    private static ComposeFile compose;

    @BeforeAll
    static void load() throws IOException {
        root = ComposeFile.repositoryRoot();
        compose = ComposeFile.load(root.resolve("docker/compose.yml"));
    }

    @Test
    void shouldParseAndDefineKafkaRegistryTopicsAndTheThreeServices() {
        assertThat(compose.root().path("services").isObject()).isTrue();
        assertThat(compose.serviceNames()).containsExactlyInAnyOrder(KAFKA, REGISTRY, TOPICS,
                "metering-stream", "wallet-stream", "billing-sink");
        SERVICES.forEach((name, main) -> assertThat(mainClass(compose.service(name))).as(name).isEqualTo(main));
    }

    @Test
    void shouldRunKafkaInKraftModeFromTheOfficialImageWithTransactionsOnOneBroker() {
        Service kafka = compose.service(KAFKA);
        String image = kafka.image().orElseThrow();
        assertThat(image).matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
        String[] version = image.substring(image.indexOf(':') + 1).split("\\.");
        assertThat(Integer.parseInt(version[0]) * 100 + Integer.parseInt(version[1])).as("Kafka 4.1 or newer")
                .isGreaterThanOrEqualTo(401);

        Map<String, String> env = kafka.environment();
        assertThat(env.get("KAFKA_PROCESS_ROLES").split(",")).containsExactlyInAnyOrder("broker", "controller");
        assertThat(env).doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(env.get("KAFKA_NODE_ID") + "@" + KAFKA + ":"
                + listenerPort(env.get("KAFKA_LISTENERS"), env.get("KAFKA_CONTROLLER_LISTENER_NAMES")));
        assertThatCode(() -> Uuid.fromString(env.get("CLUSTER_ID"))).as("CLUSTER_ID is a Kafka Uuid")
                .doesNotThrowAnyException();
        // Exactly-once needs the transaction state log; on one broker it can only have one replica.
        assertThat(env).containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
        assertThat(kafka.hasHealthcheck()).isTrue();
    }

    @Test
    void shouldRunConfluentSchemaRegistry7OnTheComposeKafka() {
        Service registry = compose.service(REGISTRY);
        assertThat(registry.image().orElseThrow()).matches("confluentinc/cp-schema-registry:7\\.\\d+\\.\\d+");
        Map<String, String> env = registry.environment();
        assertThat(env.get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS")).isEqualTo("PLAINTEXT://" + kafkaAddress());
        assertThat(registry.dependsOn()).containsEntry(KAFKA, "service_healthy");
        assertThat(registry.hasHealthcheck()).isTrue();
    }

    @Test
    void shouldBuildEveryRebillServiceFromAnExistingContextAndDockerfile() {
        for (String name : List.of(TOPICS, "metering-stream", "wallet-stream", "billing-sink")) {
            Service service = compose.service(name);
            assertThat(service.isBuilt()).as(name + " is built from this repository").isTrue();
            assertThat(service.buildContext().orElseThrow()).as(name + " build context").isDirectory()
                    .isEqualTo(root);
            assertThat(service.dockerfile().orElseThrow()).as(name + " Dockerfile").isRegularFile()
                    .isEqualTo(root.resolve("docker/Dockerfile"));
        }
        // Kafka and the registry are pulled, never built.
        assertThat(compose.service(KAFKA).isBuilt()).isFalse();
        assertThat(compose.service(REGISTRY).isBuilt()).isFalse();
    }

    @Test
    void shouldCopyTheJarAndTheLibrariesItsManifestNamesIntoTheImage() throws Exception {
        List<String> dockerfile = Files.readAllLines(root.resolve("docker/Dockerfile"));
        Map<String, String> copies = new LinkedHashMap<>();
        String from = null;
        for (String line : dockerfile) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("FROM")) {
                from = words[1];
            } else if (words[0].equals("COPY")) {
                assertThat(words).as(line).hasSize(3);
                copies.put(words[1], words[2]);
            }
        }
        // The runtime is at least the Java the code is compiled for.
        Matcher java = JAVA_MAJOR.matcher(String.valueOf(from));
        assertThat(java.matches()).as("FROM " + from).isTrue();
        assertThat(Integer.parseInt(java.group(1))).isGreaterThanOrEqualTo(17);

        // cli/pom.xml makes target/rebill.jar, whose manifest's Class-Path names lib/*.jar beside it.
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root.resolve("cli/pom.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();
        String finalName = xpath.evaluate("/project/build/finalName", pom);
        String classpathPrefix = xpath.evaluate("//plugin[artifactId='maven-jar-plugin']//manifest/classpathPrefix", pom);
        String mainClass = xpath.evaluate("//plugin[artifactId='maven-jar-plugin']//manifest/mainClass", pom);
        assertThat(mainClass).isEqualTo(RebillCli.class.getName());

        String jar = "cli/target/" + finalName + ".jar";
        String libraries = "cli/target/" + classpathPrefix;
        assertThat(copies).containsEntry(jar, "/app/rebill.jar")
                .containsEntry(libraries, "/app/" + classpathPrefix);
        // The build context sends the builder exactly what the COPY lines take.
        List<String> ignore = Files.readAllLines(root.resolve("docker/Dockerfile.dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore).containsExactly("*", "!" + jar, "!" + libraries);
    }

    @Test
    void shouldStartAnExistingMainClassInEveryJavaCommand() throws Exception {
        int javaCommands = 0;
        for (Service service : rebillServices()) {
            List<String> command = service.command();
            assertThat(service.entrypoint()).as(service.name() + " keeps the image's entrypoint").isEmpty();
            assertThat(command).as(service.name()).startsWith("java");
            String mainClassName;
            if (command.get(1).equals("-jar")) {
                assertThat(command.get(2)).isEqualTo("/app/rebill.jar");
                mainClassName = RebillCli.class.getName();
            } else {
                assertThat(command.subList(1, 3)).as(service.name()).containsExactly("-cp", "/app/rebill.jar");
                mainClassName = command.get(3);
                assertThat(command).as(service.name() + " takes its config from the environment").hasSize(4);
            }
            Class<?> main = Class.forName(mainClassName);
            Method method = main.getMethod("main", String[].class);
            assertThat(Modifier.isStatic(method.getModifiers())).as(mainClassName + ".main is static").isTrue();
            javaCommands++;
        }
        assertThat(javaCommands).isEqualTo(4);
    }

    @Test
    void shouldRunOnlyCliSubcommandsThatExistInRebillCli() {
        List<String> args = cliArguments(compose.service(TOPICS));
        Optional<String> missing = missingSubcommand(args);
        assertThat(missing).as("a command of the topics service that RebillCli lacks").isEmpty();
        assertThat(args.get(0)).as("the topics service runs a subcommand").doesNotStartWith("-");
        // The whole command line, options included, is one RebillCli accepts.
        assertThatCode(() -> RebillCli.commandLine().parseArgs(args.toArray(String[]::new)))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldTellAnExistingCliCommandFromAMissingOneWhenWalkingRebillCli() {
        List<String> existing = List.of("dlq", "list", "--bootstrap-servers", "kafka:9092",
                "--registry-url", "http://schema-registry:8081");
        assertThat(missingSubcommand(existing)).isEmpty();
        assertThatCode(() -> RebillCli.commandLine().parseArgs(existing.toArray(String[]::new)))
                .doesNotThrowAnyException();

        assertThat(missingSubcommand(List.of("dlq", "frobnicate", "--limit", "3"))).contains("dlq frobnicate");
        assertThat(missingSubcommand(List.of("frobnicate"))).contains("frobnicate");
    }

    @Test
    void shouldSetOnlyConfigKeysTheServiceReadsThroughEnvironmentVariables() {
        SERVICES.forEach((name, main) -> {
            Map<String, String> env = compose.service(name).environment();
            assertThat(env).as(name).isNotEmpty();
            for (String variable : env.keySet()) {
                Optional<String> key = ServiceConfig.keyOf(variable);
                assertThat(key).as(name + ": " + variable + " is a REBILL_CONFIG_ variable").isPresent();
                assertThat(ServiceConfig.environmentVariable(key.get())).isEqualTo(variable);
                assertThat(ServiceKeys.isRead(main, key.get()))
                        .as(name + ": " + variable + " sets " + key.get() + ", which " + main.getSimpleName()
                                + " does not read")
                        .isTrue();
            }
        });
        // Kafka and the registry read their own variables, none of Rebill's.
        assertThat(compose.service(KAFKA).environment().keySet()).allMatch(v -> v.startsWith("KAFKA_")
                || v.equals("CLUSTER_ID"));
        assertThat(compose.service(REGISTRY).environment().keySet()).allMatch(v -> v.startsWith("SCHEMA_REGISTRY_"));
    }

    @Test
    void shouldPointEveryServiceAtTheComposeKafkaAndRegistry() throws IOException {
        String registryUrl = "http://" + REGISTRY + ":" + registryPort();
        for (String name : SERVICES.keySet()) {
            Properties config = effectiveConfig(compose.service(name), Map.of());
            assertThat(config.getProperty("bootstrap.servers")).as(name).isEqualTo(kafkaAddress());
            assertThat(config.getProperty(AvroSerdeConfig.SCHEMA_REGISTRY_URL)).as(name).isEqualTo(registryUrl);
        }
        List<String> topics = cliArguments(compose.service(TOPICS));
        assertThat(topics.get(topics.indexOf("--bootstrap-servers") + 1)).isEqualTo(kafkaAddress());
        assertThat(topics.get(topics.indexOf("--registry-url") + 1)).isEqualTo(registryUrl);
    }

    @Test
    void shouldPublishThePortsTheServicesListenOn() throws IOException {
        Properties wallet = effectiveConfig(compose.service("wallet-stream"), Map.of("HOSTNAME", "wallet-a"));
        WalletConfig walletConfig = new WalletConfig(wallet);
        assertThat(walletConfig.httpPort()).isEqualTo(8090);
        assertThat(walletConfig.httpHost()).as("reachable from other containers").isEqualTo("0.0.0.0");
        assertThat(containerPorts("wallet-stream")).containsExactly(walletConfig.httpPort());

        BillingConfig billing = BillingConfig.from(
                ServiceConfig.asMap(effectiveConfig(compose.service("billing-sink"), Map.of())));
        assertThat(billing.httpPort()).isEqualTo(8091);
        assertThat(billing.httpHost()).isEqualTo("0.0.0.0");
        assertThat(containerPorts("billing-sink")).containsExactly(billing.httpPort());

        // metering-stream's port is its metrics endpoint's; the key itself is checked once it exists.
        String meteringPort = compose.service("metering-stream").environment()
                .get(ServiceConfig.environmentVariable("rebill.metering.http.port"));
        assertThat(meteringPort).isEqualTo("8092");
        assertThat(containerPorts("metering-stream")).containsExactly(Integer.parseInt(meteringPort));

        assertThat(containerPorts(REGISTRY)).containsExactly(registryPort());
        Map<String, String> kafka = compose.service(KAFKA).environment();
        assertThat(containerPorts(KAFKA)).containsExactly(listenerPort(kafka.get("KAFKA_LISTENERS"), "HOST"));
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("HOST://localhost:"
                + listenerPort(kafka.get("KAFKA_LISTENERS"), "HOST"));
    }

    @Test
    void shouldMatchTheMeteringMetricsPortToAKeyMeteringStreamReads() throws IOException {
        String key = "rebill.metering.http.port";
        assertThat(MeteringConfig.definition().names()).contains(key);

        Properties config = effectiveConfig(compose.service("metering-stream"), Map.of());
        Object port = MeteringConfig.definition().parse(config).get(key);
        assertThat(port).isInstanceOf(Number.class);
        assertThat(containerPorts("metering-stream")).containsExactly(((Number) port).intValue());
    }

    @Test
    void shouldShareApplicationIdAndAdvertiseDistinctServersWhenWalletStreamIsScaled() throws IOException {
        Service wallet = compose.service("wallet-stream");
        assertThat(wallet.replicas()).isGreaterThanOrEqualTo(2);
        // A fixed name, address or host port would be the same for every replica.
        assertThat(wallet.node().has("container_name")).isFalse();
        assertThat(wallet.node().has("hostname")).isFalse();
        assertThat(wallet.environment()).doesNotContainKey(
                ServiceConfig.environmentVariable(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertThat(wallet.ports()).allMatch(Port::publishedAsRangeOrAny);

        // Docker sets $HOSTNAME to each container's own host name, which the others resolve.
        Set<String> applicationIds = new HashSet<>();
        Set<String> servers = new HashSet<>();
        for (String hostName : List.of("7d3f0c2a9b11", "c41e88a0f3d2", "0a9b7e6c5d44")) {
            Properties config = effectiveConfig(wallet, Map.of(ServiceConfig.HOSTNAME_ENV, hostName));
            applicationIds.add(config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
            String server = config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
            assertThat(server).isEqualTo(hostName + ":" + containerPorts("wallet-stream").get(0));
            servers.add(server);
        }
        assertThat(applicationIds).containsExactly(WalletApp.APPLICATION_ID);
        assertThat(servers).hasSize(3);
    }

    @Test
    void shouldStartServicesOnlyAfterKafkaRegistryAndTopicsAreReady() {
        assertThat(compose.service(KAFKA).hasHealthcheck()).isTrue();
        assertThat(compose.service(REGISTRY).hasHealthcheck()).isTrue();
        assertThat(compose.service(TOPICS).dependsOn())
                .containsEntry(KAFKA, "service_healthy")
                .containsEntry(REGISTRY, "service_healthy");
        assertThat(compose.service(TOPICS).node().path("restart").asText()).isEqualTo("no");
        for (String name : SERVICES.keySet()) {
            assertThat(compose.service(name).dependsOn()).as(name)
                    .containsEntry(KAFKA, "service_healthy")
                    .containsEntry(REGISTRY, "service_healthy")
                    .containsEntry(TOPICS, "service_completed_successfully");
        }
    }

    @Test
    void shouldKeepBillingSinksTransactionalIdStableAcrossContainerRecreation() throws IOException {
        Service billing = compose.service("billing-sink");
        assertThat(billing.replicas()).isEqualTo(1);
        BillingConfig first = BillingConfig.from(ServiceConfig.asMap(
                effectiveConfig(billing, Map.of(ServiceConfig.HOSTNAME_ENV, "5e1d2c3b4a69"))));
        BillingConfig recreated = BillingConfig.from(ServiceConfig.asMap(
                effectiveConfig(billing, Map.of(ServiceConfig.HOSTNAME_ENV, "f0e9d8c7b6a5"))));
        assertThat(first.instanceId()).isEqualTo(recreated.instanceId()).isEqualTo("billing-sink-1");
    }

    @Test
    void shouldLeaveStripeOffUnlessTheDockerHostSetsAKey() throws IOException {
        Service billing = compose.service("billing-sink");
        Map<String, Object> offline = ServiceConfig.asMap(effectiveConfig(billing, Map.of()));
        assertThat(io.rebill.billing.stripe.StripeSettings.from(offline)).isEmpty();

        Map<String, String> env = billing.environment(Map.of("STRIPE_API_KEY", "sk_test_compose"));
        Properties config = BillingSinkApp.config(ServiceConfig.overrides(new String[0], env));
        assertThat(io.rebill.billing.stripe.StripeSettings.from(ServiceConfig.asMap(config)))
                .get().extracting(io.rebill.billing.stripe.StripeSettings::apiKey).isEqualTo("sk_test_compose");
    }

    @Test
    void shouldDocumentBuildingAndScalingOutInTheDockerReadme() throws IOException {
        String readme = Files.readString(root.resolve("docker/README.md"));
        assertThat(readme).contains("./mvnw -DskipTests package && docker compose -f docker/compose.yml up --build")
                .contains("--scale wallet-stream=3")
                .contains("REBILL_CONFIG_");
        assertThat(Files.readString(root.resolve("README.md"))).contains("docker/README.md");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static List<Service> rebillServices() {
        return compose.services().stream().filter(Service::isBuilt).toList();
    }

    private static Class<?> mainClass(Service service) {
        List<String> command = service.command();
        try {
            return Class.forName(command.get(command.indexOf("-cp") + 2));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(service.name() + " runs a class that does not exist", e);
        }
    }

    /**
     * The first word of {@code args} (before any option) that names no subcommand where it stands
     * in RebillCli's command tree, with the words before it: {@code "topics create"}; empty when
     * every word before the options is a subcommand.
     */
    private static Optional<String> missingSubcommand(List<String> args) {
        CommandLine command = RebillCli.commandLine();
        List<String> path = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("-")) {
                break;
            }
            path.add(arg);
            command = command.getSubcommands().get(arg);
            if (command == null) {
                return Optional.of(String.join(" ", path));
            }
        }
        return Optional.empty();
    }

    /** What the service passes to RebillCli: the words after {@code java -jar /app/rebill.jar}. */
    private static List<String> cliArguments(Service service) {
        List<String> command = service.command();
        assertThat(command.subList(0, 3)).as(service.name()).containsExactly("java", "-jar", "/app/rebill.jar");
        return command.subList(3, command.size());
    }

    /** The config the service's main method builds inside its container (as if with no file argument). */
    private static Properties effectiveConfig(Service service, Map<String, String> containerEnv) throws IOException {
        Map<String, String> env = new HashMap<>(service.environment(BARE_HOST));
        env.putAll(containerEnv);
        Class<?> main = mainClass(service);
        if (main == MeteringApp.class) {
            return MeteringApp.config(new String[0], env);
        }
        if (main == WalletApp.class) {
            return WalletApp.config(new String[0], env);
        }
        if (main == BillingSinkApp.class) {
            return BillingSinkApp.config(new String[0], env);
        }
        throw new AssertionError(service.name() + " runs " + main.getName() + ", not a Rebill service");
    }

    private static List<Integer> containerPorts(String service) {
        return compose.service(service).ports().stream().map(Port::target).toList();
    }

    /** The port of the listener {@code name} in a {@code NAME://host:port,...} list. */
    private static int listenerPort(String listeners, String name) {
        for (String listener : listeners.split(",")) {
            if (listener.startsWith(name + "://")) {
                return Integer.parseInt(listener.substring(listener.lastIndexOf(':') + 1));
            }
        }
        throw new AssertionError("No listener " + name + " in " + listeners);
    }

    /** host:port of the Kafka listener containers use: the advertised PLAINTEXT listener. */
    private static String kafkaAddress() {
        Map<String, String> env = compose.service(KAFKA).environment();
        String advertised = env.get("KAFKA_ADVERTISED_LISTENERS");
        for (String listener : advertised.split(",")) {
            if (listener.startsWith("PLAINTEXT://")) {
                String address = listener.substring("PLAINTEXT://".length());
                assertThat(address).startsWith(KAFKA + ":");
                assertThat(Integer.parseInt(address.substring(address.indexOf(':') + 1)))
                        .isEqualTo(listenerPort(env.get("KAFKA_LISTENERS"), "PLAINTEXT"));
                return address;
            }
        }
        throw new AssertionError("Kafka advertises no PLAINTEXT listener: " + advertised);
    }

    private static int registryPort() {
        URI listener = URI.create(compose.service(REGISTRY).environment().get("SCHEMA_REGISTRY_LISTENERS"));
        return listener.getPort();
    }
}
