package io.rebill.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro record as plain JSON for people and {@code jq}: fields by name, enums as their symbol,
 * timestamps as ISO-8601 text, bytes as base64, longs (money in micro-units) as exact numbers. A
 * union of several records names the branch, {@code {"TopUp": {...}}}, so a wallet command's kind
 * stays visible; a nullable field is just its value or {@code null}.
 */
final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    static JsonNode of(IndexedRecord record) {
        return of(record, record.getSchema());
    }

    static JsonNode of(Object datum, Schema schema) {
        if (datum == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case RECORD:
                return record((IndexedRecord) datum);
            case UNION:
                return union(datum, schema);
            case ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (Object element : (Collection<?>) datum) {
                    array.add(of(element, schema.getElementType()));
                }
                return array;
            }
            case MAP: {
                ObjectNode map = NODES.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    map.set(entry.getKey().toString(), of(entry.getValue(), schema.getValueType()));
                }
                return map;
            }
            case BYTES:
                return datum instanceof BigDecimal decimal ? NODES.numberNode(decimal) : base64(datum);
            case FIXED:
                return datum instanceof BigDecimal decimal ? NODES.numberNode(decimal) : base64(datum);
            case INT:
                return datum instanceof Integer number ? NODES.numberNode(number) : NODES.textNode(datum.toString());
            case LONG:
                // Timestamps arrive as java.time values through the logical types; money stays a long.
                return datum instanceof Long number ? NODES.numberNode(number) : NODES.textNode(datum.toString());
            case FLOAT:
                return NODES.numberNode((Float) datum);
            case DOUBLE:
                return NODES.numberNode((Double) datum);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            case NULL:
                return NODES.nullNode();
            default:
                // STRING (Utf8 or String) and ENUM (the symbol).
                return NODES.textNode(datum.toString());
        }
    }

    private static ObjectNode record(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), of(record.get(field.pos()), field.schema()));
        }
        return node;
    }

    private static JsonNode union(Object datum, Schema union) {
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() == 1) {
            return of(datum, branches.get(0));
        }
        if (datum instanceof IndexedRecord record) {
            ObjectNode named = NODES.objectNode();
            named.set(record.getSchema().getName(), record(record));
            return named;
        }
        for (Schema branch : branches) {
            if (matches(datum, branch)) {
                return of(datum, branch);
            }
        }
        return NODES.textNode(datum.toString());
    }

    private static boolean matches(Object datum, Schema branch) {
        switch (branch.getType()) {
            case STRING:
            case ENUM:
                return datum instanceof CharSequence || datum instanceof Enum<?>;
            case INT:
                return datum instanceof Integer;
            case LONG:
                return datum instanceof Long || datum instanceof TemporalAccessor;
            case BOOLEAN:
                return datum instanceof Boolean;
            case DOUBLE:
                return datum instanceof Double;
            case FLOAT:
                return datum instanceof Float;
            case BYTES:
                return datum instanceof ByteBuffer;
            case ARRAY:
                return datum instanceof Collection<?>;
            case MAP:
                return datum instanceof Map<?, ?>;
            default:
                return false;
        }
    }

    private static JsonNode base64(Object datum) {
        byte[] bytes;
        if (datum instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            bytes = ((GenericFixed) datum).bytes();
        }
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
}
