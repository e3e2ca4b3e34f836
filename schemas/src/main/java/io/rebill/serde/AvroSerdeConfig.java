package io.rebill.serde;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Settings of the Avro serdes; the first two keep the names Confluent's serdes use. */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String SERDE_IMPLEMENTATION = "rebill.serde.implementation";

    /** Rebill's own Confluent wire-format serde. */
    public static final String IMPLEMENTATION_REBILL = "rebill";
    /** Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}, when its jar is on the classpath. */
    public static final String IMPLEMENTATION_CONFLUENT = "confluent";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.Importance.HIGH,
                    "Base URL of a Confluent-compatible schema registry (for Apicurio: .../apis/ccompat/v7), "
                            + "or mock://scope for an in-memory registry shared by every serde of that scope.")
            .define(AUTO_REGISTER_SCHEMAS, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                    "Register a writer schema under its subject when it is not there yet; "
                            + "when false, serializing with an unregistered schema fails.")
            .define(SERDE_IMPLEMENTATION, ConfigDef.Type.STRING, IMPLEMENTATION_REBILL,
                    ConfigDef.Importance.LOW,
                    "Which Avro serde the topic catalog uses: 'rebill', 'confluent' (Confluent's "
                            + "SpecificAvroSerde, its jar must be on the classpath) or the class name "
                            + "of any Serde with a public no-argument constructor.");

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public String registryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public String implementation() {
        return getString(SERDE_IMPLEMENTATION);
    }

    /** The documentation of every key, for --help texts and the README. */
    public static ConfigDef definition() {
        return DEFINITION;
    }
}
