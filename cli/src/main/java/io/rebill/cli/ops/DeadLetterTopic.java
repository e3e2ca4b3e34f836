package io.rebill.cli.ops;

import io.rebill.cli.UserException;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.serde.SchemaRegistryException;
import io.rebill.topics.DeadLetterHeaders;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The four topics where the pipeline parks what it could not process, and how to read each:
 * <ul>
 *   <li>{@code metering.charges.rejected}, {@code wallet.rejected}: readable records the pipeline
 *       could not rate or apply, as {@code ops.DeadLetter} values with a reason code and the
 *       record's key and value bytes, re-encoded so they replay as they are;</li>
 *   <li>{@code metering.dead-letter}, {@code wallet.dead-letter}, {@code billing.dead-letter}:
 *       records that could not be read at all, written by Kafka Streams' own handler (KIP-1034), or
 *       by billing-sink in the same format, with the original key, value and headers, and the
 *       reason in {@code __streams.errors.*} headers.</li>
 * </ul>
 */
final class DeadLetterTopic {

    static final String DEFAULT = "metering.charges.rejected";
    /** For --help texts, which need a constant; a test checks it against the catalog. */
    static final String NAMES = "metering.charges.rejected, wallet.rejected, metering.dead-letter, wallet.dead-letter, "
            + "billing.dead-letter";

    static final String ERRORS_HEADER_PREFIX = DeadLetterHeaders.PREFIX;
    static final String EXCEPTION_HEADER = DeadLetterHeaders.EXCEPTION;
    static final String MESSAGE_HEADER = DeadLetterHeaders.MESSAGE;
    static final String TOPIC_HEADER = DeadLetterHeaders.TOPIC;
    static final String PARTITION_HEADER = DeadLetterHeaders.PARTITION;
    static final String OFFSET_HEADER = DeadLetterHeaders.OFFSET;

    /** Reason code of a rejected record whose DeadLetter value itself cannot be decoded. */
    static final String UNREADABLE = "UNREADABLE";

    private final String name;
    /** Null for the raw KIP-1034 topics. */
    private final Deserializer<DeadLetter> deadLetters;
    /** Where a replay may write: the catalog's topics, never a name a damaged record happens to carry. */
    private final Set<String> replayable;

    private DeadLetterTopic(String name, Deserializer<DeadLetter> deadLetters, Set<String> replayable) {
        this.name = name;
        this.deadLetters = deadLetters;
        this.replayable = replayable;
    }

    /** The dead-letter topics by name, in the order of {@link #NAMES}. */
    static Map<String, DeadLetterTopic> all(Topics topics) {
        Set<String> replayable = topics.all().stream().map(Topic::name).collect(Collectors.toSet());
        Map<String, DeadLetterTopic> all = new LinkedHashMap<>();
        for (Topic<String, DeadLetter> rejected : List.of(topics.chargesRejected, topics.walletRejected)) {
            all.put(rejected.name(), new DeadLetterTopic(rejected.name(), rejected.valueSerde().deserializer(), replayable));
        }
        for (Topic<byte[], byte[]> raw : List.of(topics.meteringDeadLetter, topics.walletDeadLetter,
                topics.billingDeadLetter)) {
            all.put(raw.name(), new DeadLetterTopic(raw.name(), null, replayable));
        }
        return all;
    }

    /** The topic named by {@code --topic}; a UserException listing the choices for any other name. */
    static DeadLetterTopic named(String name, Topics topics) {
        DeadLetterTopic topic = all(topics).get(name);
        if (topic == null) {
            throw new UserException("--topic '" + name + "' is not a dead-letter topic; choose one of " + NAMES);
        }
        return topic;
    }

    String name() {
        return name;
    }

    /** Whether reading it needs the schema registry (its values are Avro). */
    boolean needsRegistry() {
        return deadLetters != null;
    }

    DeadLetterEntry decode(ConsumerRecord<byte[], byte[]> record) {
        return deadLetters == null ? decodeRaw(record) : decodeRejected(record);
    }

    private DeadLetterEntry decodeRejected(ConsumerRecord<byte[], byte[]> record) {
        DeadLetter letter;
        try {
            letter = record.value() == null ? null : deadLetters.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            if (isRegistryOutage(e)) {
                throw e;
            }
            return unreadable(record, "cannot be decoded as ops.DeadLetter: " + e.getMessage());
        }
        if (letter == null) {
            return unreadable(record, "has no value");
        }
        String target = replayable.contains(letter.getSourceTopic()) ? letter.getSourceTopic() : null;
        return new DeadLetterEntry(record.topic(), record.partition(), record.offset(), letter.getFailedAt(),
                letter.getSourceTopic(), letter.getSourcePartition(), letter.getSourceOffset(),
                letter.getReasonCode(), letter.getReason(), target, bytes(letter.getKey()), bytes(letter.getValue()),
                new RecordHeaders());
    }

    private DeadLetterEntry decodeRaw(ConsumerRecord<byte[], byte[]> record) {
        String exception = header(record, EXCEPTION_HEADER);
        String sourceTopic = header(record, TOPIC_HEADER);
        // The original record's own headers travel with it; only the handler's are dropped on replay.
        Headers original = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(ERRORS_HEADER_PREFIX)) {
                original.add(header);
            }
        }
        return new DeadLetterEntry(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), sourceTopic, integer(header(record, PARTITION_HEADER)),
                longValue(header(record, OFFSET_HEADER)),
                exception == null ? "UNKNOWN" : exception.substring(exception.lastIndexOf('.') + 1),
                header(record, MESSAGE_HEADER), replayable.contains(sourceTopic) ? sourceTopic : null,
                record.key(), record.value(), original);
    }

    private static DeadLetterEntry unreadable(ConsumerRecord<byte[], byte[]> record, String why) {
        return new DeadLetterEntry(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), null, null, null, UNREADABLE, "The record " + why,
                null, record.key(), record.value(), new RecordHeaders());
    }

    /** Same rule as the services': an unreachable registry is no fault of the record, so the command fails instead. */
    static boolean isRegistryOutage(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                int code = registry.errorCode();
                return code == SchemaRegistryException.UNREACHABLE || (code >= 500 && code < 600)
                        || (code >= 50000 && code < 60000);
            }
        }
        return false;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Integer integer(String text) {
        return text != null && text.matches("[0-9]{1,9}") ? Integer.valueOf(text) : null;
    }

    private static Long longValue(String text) {
        return text != null && text.matches("[0-9]{1,18}") ? Long.valueOf(text) : null;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
