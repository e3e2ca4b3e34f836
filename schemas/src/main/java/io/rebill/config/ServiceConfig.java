package io.rebill.config;

import io.rebill.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How every Rebill service reads its configuration: a properties file with Kafka's own keys plus
 * {@code schema.registry.url}, completed with defaults that point at the local stack.
 */
public final class ServiceConfig {

    /** The local stack's broker ({@code rebill up}). */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    /** The local stack's registry: Apicurio's Confluent-compatible API. */
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";
    /** Kafka's {@code application.id} for Streams and {@code group.id} for plain consumers. */
    public static final String APPLICATION_ID = "application.id";

    private ServiceConfig() {
    }

    /** The overrides, then the application id and the local stack's addresses where they are unset. */
    public static Properties withDefaults(Properties overrides, String applicationId) {
        Properties config = new Properties();
        config.putAll(overrides);
        config.putIfAbsent(APPLICATION_ID, applicationId);
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        config.putIfAbsent(AvroSerdeConfig.SCHEMA_REGISTRY_URL, DEFAULT_SCHEMA_REGISTRY_URL);
        return config;
    }

    /** Reads a UTF-8 {@code .properties} file. */
    public static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** The config as the map serdes and clients take; non-string values (e.g. booleans) are kept. */
    public static Map<String, Object> asMap(Properties config) {
        Map<String, Object> map = new HashMap<>();
        config.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }
}
