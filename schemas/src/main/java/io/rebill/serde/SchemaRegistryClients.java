package io.rebill.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One shared client per registry URL, so all serdes of a process share one cache. */
public final class SchemaRegistryClients {

    private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient forUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("No schema registry URL: set '"
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL + "' (http://host:port/... or mock://scope)");
        }
        if (MockSchemaRegistry.isMockUrl(url)) {
            return MockSchemaRegistry.forScope(MockSchemaRegistry.scopeOf(url));
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("Schema registry URL '" + url
                    + "' must start with http://, https:// or mock://");
        }
        return CLIENTS.computeIfAbsent(url, RestSchemaRegistryClient::new);
    }
}
