package io.rebill.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Talks to a Confluent-compatible schema registry over its REST API (Confluent Schema Registry,
 * or Apicurio Registry under {@code /apis/ccompat/v7}), caching every answer: ids never change
 * once assigned, so nothing is ever evicted.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    public RestSchemaRegistryClient(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.requestTimeout = requestTimeout;
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> registerOrFind(subject, s));
    }

    /**
     * Registers the schema; a 409 is answered by looking the schema up. Two instances registering the
     * same new schema at the same moment get a 409 for the second (Apicurio: "artifact already
     * exists") although the schema is registered: reading that as incompatible would dead-letter
     * valid records. Only a schema the registry does not hold under the subject is incompatible.
     */
    private int registerOrFind(String subject, Schema schema) {
        try {
            return postSchema("/subjects/" + encode(subject) + "/versions", subject, schema);
        } catch (SchemaRegistryException conflict) {
            if (conflict.errorCode() != SchemaRegistryException.INCOMPATIBLE_SCHEMA) {
                throw conflict;
            }
            try {
                return postSchema("/subjects/" + encode(subject), subject, schema);
            } catch (SchemaRegistryException notThere) {
                conflict.addSuppressed(notThere);
                throw conflict;
            }
        }
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> postSchema("/subjects/" + encode(subject), subject, s));
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, i -> {
            JsonNode body = send(HttpRequest.newBuilder(uri("/schemas/ids/" + i)).GET(), null, i);
            String text = body.path("schema").asText(null);
            if (text == null) {
                throw new SchemaRegistryException(SchemaRegistryException.SCHEMA_NOT_FOUND,
                        "Schema registry at " + baseUrl + " returned no schema text for id " + i);
            }
            return new Schema.Parser().parse(text);
        });
    }

    @Override
    public void setDefaultCompatibility(String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send(HttpRequest.newBuilder(uri("/config"))
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())), null, null);
    }

    private int postSchema(String path, String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = send(HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), subject, null);
        if (!answer.has("id")) {
            throw new SchemaRegistryException(500, "Schema registry at " + baseUrl
                    + " answered without an id for subject '" + subject + "': " + answer);
        }
        int id = answer.get("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private JsonNode send(HttpRequest.Builder request, String subject, Integer schemaId) {
        HttpRequest built = request.timeout(requestTimeout)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(SchemaRegistryException.UNREACHABLE,
                    "Schema registry at " + baseUrl + " is unreachable (" + built.method() + " "
                            + built.uri().getPath() + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(SchemaRegistryException.UNREACHABLE,
                    "Interrupted while calling the schema registry at " + baseUrl, e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            return body;
        }
        int code = body.path("error_code").asInt(response.statusCode());
        String registryMessage = body.path("message").asText(response.body());
        throw new SchemaRegistryException(code, "Schema registry at " + baseUrl + ": "
                + SchemaRegistryException.explain(code, subject, schemaId)
                + " (error " + code + ": " + registryMessage + ")");
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", text);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient[" + baseUrl + "]";
    }
}
