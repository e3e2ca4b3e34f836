package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.ops.DeadLetter;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How {@code rebill dlq} reads each kind of dead-letter topic: pure decoding, with the in-memory registry. */
class DeadLetterTopicTest {

    private static final String SCOPE = "dead-letter-topic-test";
    private static final Instant FAILED_AT = Instant.parse("2026-11-22T03:10:00.123Z");

    private final Topics topics = Topics.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, MockSchemaRegistry.URL_PREFIX + SCOPE));

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldReplayARejectedRecordsBytesToItsSourceTopicWhenItIsADeadLetter() {
        byte[] cdrBytes = {0, 0, 0, 0, 7, 42};
        DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("metering.cdr.raw").setSourcePartition(2)
                .setSourceOffset(17).setKey(utf8("carrier-it:c-cn")).setValue(ByteBuffer.wrap(cdrBytes))
                .setReasonCode("NO_RATE").setReason("No VOICE OUTBOUND rate for +861062345678")
                .setApplication("rebill-metering").setFailedAt(FAILED_AT).build();
        byte[] value = topics.chargesRejected.valueSerde().serializer().serialize(topics.chargesRejected.name(), letter);

        DeadLetterEntry entry = DeadLetterTopic.named("metering.charges.rejected", topics)
                .decode(record("metering.charges.rejected", "carrier-it:c-cn".getBytes(StandardCharsets.UTF_8), value,
                        new RecordHeaders()));

        assertThat(entry.replayTopic()).isEqualTo("metering.cdr.raw");
        assertThat(entry.key()).asString(StandardCharsets.UTF_8).isEqualTo("carrier-it:c-cn");
        assertThat(entry.value()).isEqualTo(cdrBytes);
        assertThat(entry.headers().toArray()).isEmpty();
        assertThat(entry.reasonCode()).isEqualTo("NO_RATE");
        assertThat(entry.line()).isEqualTo("metering.charges.rejected  3@9  from metering.cdr.raw 2@17 key=carrier-it:c-cn"
                + "  NO_RATE  No VOICE OUTBOUND rate for +861062345678  2026-11-22T03:10:00.123Z");
    }

    @Test
    void shouldTakeReasonAndSourceFromTheStreamsHeadersWhenItIsARawDeadLetter() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8Bytes("abc"));
        headers.add("__streams.errors.exception", utf8Bytes("org.apache.kafka.common.errors.SerializationException"));
        headers.add("__streams.errors.message", utf8Bytes("Unknown magic byte 100\n  at the start"));
        headers.add("__streams.errors.stacktrace", utf8Bytes("...stack..."));
        headers.add("__streams.errors.topic", utf8Bytes("metering.cdr.raw"));
        headers.add("__streams.errors.partition", utf8Bytes("4"));
        headers.add("__streams.errors.offset", utf8Bytes("123"));
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        DeadLetterEntry entry = DeadLetterTopic.named("metering.dead-letter", topics)
                .decode(record("metering.dead-letter", "garbage".getBytes(StandardCharsets.UTF_8), garbage, headers));

        assertThat(entry.reasonCode()).isEqualTo("SerializationException");
        assertThat(entry.replayTopic()).isEqualTo("metering.cdr.raw");
        assertThat(entry.sourcePartition()).isEqualTo(4);
        assertThat(entry.sourceOffset()).isEqualTo(123L);
        assertThat(entry.value()).isEqualTo(garbage);
        assertThat(entry.line()).contains("from metering.cdr.raw 4@123 key=garbage  SerializationException  "
                + "Unknown magic byte 100 at the start  ");
    }

    @Test
    void shouldKeepTheOriginalHeadersButNotTheStreamsErrorHeadersWhenReplayingARawDeadLetter() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8Bytes("abc"));
        headers.add("__streams.errors.topic", utf8Bytes("wallet.commands"));
        headers.add("__streams.errors.stacktrace", utf8Bytes("...stack..."));

        DeadLetterEntry entry = DeadLetterTopic.named("wallet.dead-letter", topics)
                .decode(record("wallet.dead-letter", null, new byte[] {1}, headers));

        assertThat(entry.headers().toArray()).extracting(h -> h.key()).containsExactly("trace-id");
        assertThat(entry.replayTopic()).isEqualTo("wallet.commands");
    }

    @Test
    void shouldNotReplayWhenTheNamedSourceIsNotARebillTopic() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("__streams.errors.topic", utf8Bytes("rebill-metering-KSTREAM-REPARTITION-0000000003-repartition"));

        DeadLetterEntry entry = DeadLetterTopic.named("metering.dead-letter", topics)
                .decode(record("metering.dead-letter", null, new byte[] {1}, headers));

        assertThat(entry.replayTopic()).isNull();
        assertThat(entry.reasonCode()).isEqualTo("UNKNOWN");
    }

    @Test
    void shouldMarkARejectedRecordUnreadableWhenItsValueIsNotADeadLetter() {
        DeadLetterEntry entry = DeadLetterTopic.named("wallet.rejected", topics)
                .decode(record("wallet.rejected", null, "junk".getBytes(StandardCharsets.UTF_8), new RecordHeaders()));

        assertThat(entry.reasonCode()).isEqualTo(DeadLetterTopic.UNREADABLE);
        assertThat(entry.replayTopic()).isNull();
        assertThat(entry.reason()).startsWith("The record cannot be decoded as ops.DeadLetter");
    }

    @Test
    void shouldShowKeysThatAreNotTextAsHex() {
        assertThat(DeadLetterEntry.printable(new byte[] {0, 1, (byte) 0xff})).isEqualTo("0x0001ff");
        assertThat(DeadLetterEntry.printable(null)).isEqualTo("(none)");
        assertThat(DeadLetterEntry.printable(utf8Bytes("acme-agency"))).isEqualTo("acme-agency");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, 3, 9, FAILED_AT.toEpochMilli(), TimestampType.CREATE_TIME, -1, -1, key, value,
                headers, Optional.empty());
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(utf8Bytes(text));
    }

    private static byte[] utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
