package io.rebill.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the REST client against a local HTTP server that answers as a Confluent registry does. */
class RestSchemaRegistryClientTest {

    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}");

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"id\":7}";
    /** Answers for the next requests, before falling back to status/answer: {status, body}. */
    private final java.util.Deque<String[]> scripted = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private RestSchemaRegistryClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = new RestSchemaRegistryClient("http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
        String[] next = scripted.poll();
        byte[] bytes = (next == null ? answer : next[1]).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(next == null ? status : Integer.parseInt(next[0]), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void shouldRegisterOncePerSubjectAndSchema() {
        assertThat(client.register("usage-value", SCHEMA)).isEqualTo(7);
        assertThat(client.register("usage-value", SCHEMA)).isEqualTo(7);

        assertThat(requests).singleElement().asString()
                .startsWith("POST /apis/ccompat/v7/subjects/usage-value/versions application/vnd.schemaregistry.v1+json")
                .contains("\"schema\":\"{\\\"type\\\":\\\"record\\\"");
    }

    @Test
    void shouldFetchSchemaByIdOnce() {
        answer = "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(SCHEMA.toString()) + "}";

        assertThat(client.schemaById(3)).isEqualTo(SCHEMA);
        assertThat(client.schemaById(3)).isEqualTo(SCHEMA);

        assertThat(requests).singleElement().asString().startsWith("GET /apis/ccompat/v7/schemas/ids/3");
    }

    @Test
    void shouldKnowRegisteredSchemaByIdWithoutFetching() {
        client.register("usage-value", SCHEMA);

        assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldLookUpWithoutRegistering() {
        answer = "{\"subject\":\"usage-value\",\"id\":9,\"version\":1}";

        assertThat(client.idOf("usage-value", SCHEMA)).isEqualTo(9);
        assertThat(requests).singleElement().asString().startsWith("POST /apis/ccompat/v7/subjects/usage-value ");
    }

    @Test
    void shouldExplainSubjectNotFound() {
        status = 404;
        answer = "{\"error_code\":40401,\"message\":\"Subject 'usage-value' not found.\"}";

        assertRegistryError(() -> client.idOf("usage-value", SCHEMA), 40401, "subject 'usage-value' is not registered");
    }

    @Test
    void shouldExplainSchemaNotFound() {
        status = 404;
        answer = "{\"error_code\":40403,\"message\":\"Schema 12 not found\"}";

        assertRegistryError(() -> client.schemaById(12), 40403, "no schema with id 12 is registered");
    }

    @Test
    void shouldExplainIncompatibleSchema() {
        status = 409;
        answer = "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}";

        assertRegistryError(() -> client.register("usage-value", SCHEMA), 409,
                "incompatible with an earlier version");
    }

    @Test
    void shouldUseTheIdOfASchemaAnotherInstanceRegisteredAtTheSameMoment() {
        scripted.add(new String[] {"409", "{\"error_code\":409,\"message\":\"An artifact with ID 'usage-value' "
                + "already exists.\"}"});
        scripted.add(new String[] {"200", "{\"subject\":\"usage-value\",\"id\":11,\"version\":1}"});

        assertThat(client.register("usage-value", SCHEMA)).isEqualTo(11);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1)).startsWith("POST /apis/ccompat/v7/subjects/usage-value ");
    }

    @Test
    void shouldReportIncompatibleWhenTheConflictingSchemaIsNotRegistered() {
        scripted.add(new String[] {"409", "{\"error_code\":409,\"message\":\"Schema being registered is "
                + "incompatible with an earlier schema\"}"});
        scripted.add(new String[] {"404", "{\"error_code\":40403,\"message\":\"Schema not found\"}"});

        assertRegistryError(() -> client.register("usage-value", SCHEMA), 409, "incompatible with an earlier version");
        assertThat(requests).hasSize(2);
    }

    @Test
    void shouldExplainInvalidSchema() {
        status = 422;
        answer = "{\"error_code\":42201,\"message\":\"Invalid schema\"}";

        assertRegistryError(() -> client.register("usage-value", SCHEMA), 42201, "rejected the schema");
    }

    @Test
    void shouldSayWhenRegistryIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient unreachable = new RestSchemaRegistryClient("http://127.0.0.1:" + closedPort);

        assertRegistryError(() -> unreachable.schemaById(1), SchemaRegistryException.UNREACHABLE, "is unreachable");
    }

    @Test
    void shouldSetDefaultCompatibility() {
        answer = "{\"compatibility\":\"BACKWARD\"}";

        client.setDefaultCompatibility("BACKWARD");

        assertThat(requests).singleElement().asString()
                .startsWith("PUT /apis/ccompat/v7/config ").endsWith("{\"compatibility\":\"BACKWARD\"}");
    }

    private static void assertRegistryError(Runnable call, int code, String explanation) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessageContaining(explanation);
    }
}
