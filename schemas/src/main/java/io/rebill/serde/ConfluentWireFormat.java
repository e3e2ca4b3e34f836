package io.rebill.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of a serialized record: byte 0 is the magic byte 0, bytes 1-4 the schema
 * id as a big-endian int, then the Avro binary encoding of the value.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    /** The schema id in a framed payload; rejects anything not in the wire format. */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new SerializationException("Record on topic '" + topic + "' is " + payload.length
                    + " bytes long, too short for the Confluent wire format (magic byte and 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record on topic '%s' starts with byte 0x%02x, not the Confluent wire format's magic byte 0x00",
                    topic, payload[0]));
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }
}
