package io.rebill.serde;

import org.apache.avro.Schema;

/**
 * The calls an Avro serializer makes on a Confluent-compatible schema registry.
 * Implementations cache: a schema is registered once per subject and fetched once per id.
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the id of a schema already registered under the subject; never registers. */
    int idOf(String subject, Schema schema);

    /** The schema with this global id. */
    Schema schemaById(int id);

    /** Sets the registry-wide default compatibility level, e.g. {@code BACKWARD}. */
    void setDefaultCompatibility(String level);
}
