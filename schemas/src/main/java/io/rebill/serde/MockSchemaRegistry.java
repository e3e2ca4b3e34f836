package io.rebill.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory schema registry for tests, reached with {@code mock://scope} URLs as Confluent's
 * serdes do: every serde configured with the same scope shares one registry. Ids start at 1 and
 * new versions of a subject are checked for BACKWARD compatibility, like a real registry's default.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    public static final String URL_PREFIX = "mock://";

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private String compatibility = "BACKWARD";

    /** The registry of a scope, created on first use. */
    public static MockSchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
    }

    /** Forgets a scope, so a test can start from an empty registry. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    static boolean isMockUrl(String url) {
        return url.startsWith(URL_PREFIX);
    }

    static String scopeOf(String url) {
        return url.substring(URL_PREFIX.length());
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            if ("BACKWARD".equals(compatibility) && !versions.isEmpty()) {
                Schema latest = versions.get(versions.size() - 1);
                var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest).getResult();
                if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new SchemaRegistryException(SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                            "Mock schema registry: " + SchemaRegistryException.explain(
                                    SchemaRegistryException.INCOMPATIBLE_SCHEMA, subject, null)
                                    + " (" + result.getIncompatibilities() + ")");
                }
            }
            versions.add(schema);
        }
        return idsBySchema.computeIfAbsent(schema, s -> {
            int id = schemasById.size() + 1;
            schemasById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Mock schema registry: " + SchemaRegistryException.explain(
                            SchemaRegistryException.SUBJECT_NOT_FOUND, subject, null));
        }
        if (!versions.contains(schema)) {
            throw new SchemaRegistryException(SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Mock schema registry: " + SchemaRegistryException.explain(
                            SchemaRegistryException.SCHEMA_NOT_FOUND, subject, null));
        }
        return idsBySchema.get(schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Mock schema registry: " + SchemaRegistryException.explain(
                            SchemaRegistryException.SCHEMA_NOT_FOUND, null, id));
        }
        return schema;
    }

    @Override
    public synchronized void setDefaultCompatibility(String level) {
        this.compatibility = level;
    }

    /** Subjects registered so far, for assertions. */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }
}
