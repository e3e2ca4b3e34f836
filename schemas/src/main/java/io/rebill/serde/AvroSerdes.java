package io.rebill.serde;

import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * Builds the configured Avro serde for a generated class: Rebill's own by default, Confluent's
 * {@code SpecificAvroSerde} when {@code rebill.serde.implementation=confluent} and its jar is on
 * the classpath, or any Serde class named there.
 */
public final class AvroSerdes {

    static final String CONFLUENT_SPECIFIC_AVRO_SERDE = "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde";

    private AvroSerdes() {
    }

    public static <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type, Map<String, ?> config) {
        return create(type, config, false);
    }

    public static <T extends SpecificRecord> Serde<T> keySerde(Class<T> type, Map<String, ?> config) {
        return create(type, config, true);
    }

    private static <T extends SpecificRecord> Serde<T> create(Class<T> type, Map<String, ?> config, boolean isKey) {
        String implementation = new AvroSerdeConfig(config).implementation();
        if (AvroSerdeConfig.IMPLEMENTATION_REBILL.equals(implementation)) {
            Serde<T> serde = new AvroSpecificSerde<>(type);
            serde.configure(config, isKey);
            return serde;
        }
        String className = AvroSerdeConfig.IMPLEMENTATION_CONFLUENT.equals(implementation)
                ? CONFLUENT_SPECIFIC_AVRO_SERDE : implementation;
        Serde<T> serde = instantiate(className);
        Map<String, Object> confluentConfig = new HashMap<>(config);
        // Confluent's serde returns GenericRecords unless told to read into the generated classes.
        confluentConfig.putIfAbsent("specific.avro.reader", true);
        serde.configure(confluentConfig, isKey);
        return serde;
    }

    @SuppressWarnings("unchecked")
    private static <T> Serde<T> instantiate(String className) {
        try {
            Object candidate = Class.forName(className).getDeclaredConstructor().newInstance();
            if (!(candidate instanceof Serde<?> serde)) {
                throw new ConfigException(AvroSerdeConfig.SERDE_IMPLEMENTATION, className,
                        "is not a org.apache.kafka.common.serialization.Serde");
            }
            return (Serde<T>) serde;
        } catch (ClassNotFoundException e) {
            throw new ConfigException(AvroSerdeConfig.SERDE_IMPLEMENTATION, className,
                    "is not on the classpath" + (CONFLUENT_SPECIFIC_AVRO_SERDE.equals(className)
                            ? "; add io.confluent:kafka-streams-avro-serde from packages.confluent.io, "
                            + "or use 'rebill'" : ""));
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException e) {
            throw new ConfigException(AvroSerdeConfig.SERDE_IMPLEMENTATION, className,
                    "cannot be instantiated with a public no-argument constructor: " + e);
        }
    }
}
