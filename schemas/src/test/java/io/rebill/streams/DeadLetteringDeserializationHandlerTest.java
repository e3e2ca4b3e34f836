package io.rebill.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DeadLetteringDeserializationHandlerTest {

    @Test
    void shouldTreatUnreachableRegistryAsOutageNotBadRecord() {
        assertThat(DeadLetteringDeserializationHandler.isRegistryOutage(new SerializationException("wrap",
                new SchemaRegistryException(SchemaRegistryException.UNREACHABLE, "down")))).isTrue();
        assertThat(DeadLetteringDeserializationHandler.isRegistryOutage(
                new SchemaRegistryException(50001, "backend store error"))).isTrue();
    }

    @Test
    void shouldTreatUnknownSchemaIdAndGarbageAsBadRecords() {
        assertThat(DeadLetteringDeserializationHandler.isRegistryOutage(
                new SchemaRegistryException(SchemaRegistryException.SCHEMA_NOT_FOUND, "no such id"))).isFalse();
        assertThat(DeadLetteringDeserializationHandler.isRegistryOutage(new SerializationException("bad magic")))
                .isFalse();
    }
}
