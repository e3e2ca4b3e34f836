package io.rebill.cli;

import io.rebill.config.ServiceConfig;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the schema registry of a running pipeline are, for the operator
 * commands that talk to one ({@code import}, {@code dlq}) rather than start one ({@code up},
 * {@code demo}). The defaults are the local stack's. {@link #requireKafka} fails fast with one
 * clear line when nothing answers, instead of letting a client retry for a minute.
 */
public final class KafkaOptions {

    /** How long the reachability checks wait: long enough for a busy broker, short enough for a person. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    @Option(names = "--bootstrap-servers", defaultValue = ServiceConfig.DEFAULT_BOOTSTRAP_SERVERS,
            paramLabel = "HOST:PORT",
            description = {"Kafka brokers of the pipeline, comma-separated.", "Default: ${DEFAULT-VALUE} (`rebill up`)"})
    private String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = ServiceConfig.DEFAULT_SCHEMA_REGISTRY_URL, paramLabel = "URL",
            description = {"Confluent-compatible schema registry; Apicurio's URL ends in /apis/ccompat/v7.",
                    "Default: ${DEFAULT-VALUE}"})
    private String registryUrl;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** Bootstrap servers and registry URL: what the catalog's serdes and the kafka helpers take. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(kafkaConfig());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        return config;
    }

    /** Bootstrap servers only, for clients that handle bytes and would warn about an unused registry URL. */
    public Map<String, Object> kafkaConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** The topic catalog with serdes that use {@code --registry-url}; builds serdes only, connects to nothing. */
    public Topics topics() {
        if (!registryUrl.startsWith("http://") && !registryUrl.startsWith("https://")) {
            throw new UserException("--registry-url '" + registryUrl + "' must start with http:// or https://");
        }
        return Topics.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl));
    }

    /**
     * Fails with a {@link UserException} unless a Kafka cluster answers at {@code --bootstrap-servers}
     * within {@link #CHECK_TIMEOUT} and has the named topics.
     */
    public void requireKafka(String... topicNames) {
        List<InetSocketAddress> addresses = parseBootstrapServers();
        // A plain TCP probe first: it fails in milliseconds on a closed port, where a Kafka client
        // would retry quietly until its timeout and log a warning per attempt.
        if (addresses.stream().noneMatch(KafkaOptions::accepts)) {
            throw notReachable("", null);
        }
        try (Admin admin = Admin.create(checkConfig())) {
            admin.describeCluster().clusterId().get(CHECK_TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
            if (topicNames.length > 0) {
                requireTopics(admin, List.of(topicNames));
            }
        } catch (KafkaException e) {
            throw notReachable(" (" + e.getMessage() + ")", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // The client's own text ("Timed out waiting for a node assignment") would only blur the line.
                throw notReachable(" (no answer within " + CHECK_TIMEOUT.toSeconds() + " s)", null);
            }
            throw notReachable(" (" + e.getCause().getMessage() + ")", e.getCause());
        } catch (TimeoutException e) {
            throw notReachable(" (no answer within " + CHECK_TIMEOUT.toSeconds() + " s)", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("Interrupted while connecting to Kafka at " + bootstrapServers, e);
        }
    }

    /**
     * Fails with a {@link UserException} unless a schema registry answers at {@code --registry-url}:
     * reading or writing Avro records needs it, and a serializer would otherwise fail per record.
     */
    public void requireRegistry() {
        topics(); // refuses a URL that is not http(s) before trying it
        String base = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/subjects")).timeout(CHECK_TIMEOUT)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET().build();
        HttpResponse<Void> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()
                    .send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UserException("Schema registry at " + registryUrl + " is not reachable; is `rebill up` running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("Interrupted while connecting to the schema registry at " + registryUrl, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new UserException("Schema registry at " + registryUrl + " answered HTTP " + response.statusCode()
                    + " to GET /subjects; is --registry-url right? (Apicurio's ends in /apis/ccompat/v7)");
        }
    }

    private void requireTopics(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.describeTopics(names).allTopicNames().get(CHECK_TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new UserException("Kafka at " + bootstrapServers + " has no topic " + String.join(" or ", names)
                        + "; is it Rebill's cluster? (`rebill up` creates the topics)");
            }
            throw e;
        }
    }

    private Map<String, Object> checkConfig() {
        Map<String, Object> config = kafkaConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis() / 2);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, CONNECT_TIMEOUT.toMillis());
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, CONNECT_TIMEOUT.toMillis());
        return config;
    }

    private List<InetSocketAddress> parseBootstrapServers() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String trimmed = server.trim();
            int colon = trimmed.lastIndexOf(':');
            String host = colon > 0 ? trimmed.substring(0, colon).replaceAll("^\\[|]$", "") : "";
            String port = colon > 0 ? trimmed.substring(colon + 1) : "";
            if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
                    || Integer.parseInt(port) > 65_535) {
                throw new UserException("--bootstrap-servers '" + bootstrapServers
                        + "' must be HOST:PORT, or several separated by commas");
            }
            addresses.add(InetSocketAddress.createUnresolved(host, Integer.parseInt(port)));
        }
        return addresses;
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()),
                    (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private UserException notReachable(String detail, Throwable cause) {
        return new UserException("Kafka at " + bootstrapServers + " is not reachable" + detail
                + "; is `rebill up` running?", cause);
    }
}
