package io.rebill.cli.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rebill tail TOPIC}: a catalog topic's records as JSON lines, decoded through the schema
 * registry with the catalog's serdes, for people and {@code jq}.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a topic's records as JSON lines.",
                "One object per record of a topic of Rebill's catalog: topic, "
                + "partition, offset, timestamp, key and value (Avro decoded through the schema registry; "
                + "timestamps as ISO-8601, money as exact micro-units).",
                "The raw dead-letter topics (metering.dead-letter, wallet.dead-letter, billing.dead-letter) print "
                        + "the value bytes as base64 (valueBase64) and the headers that say why.",
                "Starts at the end of the topic unless --from-beginning; stops after --max records or when "
                        + "--timeout seconds pass without a record, otherwise follows until Ctrl-C.",
                "Reads without a consumer group, so tailing moves nobody's offsets."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped after --max records, or after --timeout without records",
                "1:some records could not be decoded (printed with an \"error\" field and their bytes in base64)",
                "2:an unknown topic or an invalid argument, or Kafka or the schema registry cannot be reached"})
public final class TailCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration MAX_POLL = Duration.ofMillis(500);

    private final TailSource.Opener sources;
    private final Function<KafkaOptions, Topics> catalogs;
    private final Ticker ticker;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "TOPIC", description = "A topic of the catalog, e.g. metering.charges.rated.")
    String topicName;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of the end.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(names = "--timeout", paramLabel = "SEC", description = "Stop when SEC seconds pass without a record.")
    Double timeoutSeconds;

    @Spec
    CommandSpec spec;

    public TailCommand() {
        this(TailSource::kafka, KafkaOptions::topics, Ticker.system());
    }

    /** With another source, catalog and time, for tests without a broker or a registry. */
    public TailCommand(TailSource.Opener sources, Function<KafkaOptions, Topics> catalogs, Ticker ticker) {
        this.sources = sources;
        this.catalogs = catalogs;
        this.ticker = ticker;
    }

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new UserException("--max must be at least 1, got " + max);
        }
        if (timeoutSeconds != null && !(timeoutSeconds > 0 && timeoutSeconds <= Long.MAX_VALUE / 1e9)) {
            throw new UserException("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        Topics topics = catalogs.apply(kafka);
        Topic<?, ?> topic = topics.all().stream().filter(t -> t.name().equals(topicName)).findFirst()
                .orElseThrow(() -> new UserException("unknown topic '" + topicName + "'; choose one of "
                        + topics.all().stream().map(Topic::name).collect(Collectors.joining(", "))));
        boolean raw = isRaw(topic);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long printed = 0;
        long undecodable = 0;
        String stopped;
        try (TailSource source = sources.open(kafka, topic.name(), fromBeginning, !raw)) {
            long timeoutNanos = timeoutSeconds == null ? Long.MAX_VALUE : (long) (timeoutSeconds * 1e9);
            long lastRecordNanos = ticker.nanoTime();
            while (true) {
                if (max != null && printed >= max) {
                    stopped = "after " + Counts.of(printed, "record") + " (--max)";
                    break;
                }
                long quietNanos = ticker.nanoTime() - lastRecordNanos;
                if (quietNanos >= timeoutNanos) {
                    stopped = "after " + Counts.of(printed, "record") + ": none for " + plain(timeoutSeconds)
                            + " s (--timeout)";
                    break;
                }
                Duration wait = Duration.ofNanos(Math.min(MAX_POLL.toNanos(), timeoutNanos - quietNanos));
                List<ConsumerRecord<byte[], byte[]>> records = source.poll(wait);
                if (!records.isEmpty()) {
                    lastRecordNanos = ticker.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (max != null && printed >= max) {
                        break;
                    }
                    ObjectNode line = raw ? rawLine(record) : decodedLine(topic, record);
                    if (line.has("error")) {
                        undecodable++;
                    }
                    out.println(write(line));
                    printed++;
                }
                out.flush();
            }
        }
        err.println("rebill tail: stopped " + stopped + (undecodable > 0
                ? "; " + Counts.of(undecodable, "record") + " could not be decoded" : ""));
        err.flush();
        return undecodable == 0 ? 0 : 1;
    }

    private static boolean isRaw(Topic<?, ?> topic) {
        return topic.valueSerde().getClass().equals(Serdes.ByteArray().getClass());
    }

    private static ObjectNode header(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = NODES.objectNode();
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        return line;
    }

    private ObjectNode decodedLine(Topic<?, ?> topic, ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = header(record);
        line.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        Object value;
        try {
            value = record.value() == null ? null
                    : topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (DeadLetterTopic.isRegistryOutage(e)) {
                throw new UserException("Schema registry at " + kafka.registryUrl() + " cannot be reached to decode "
                        + record.topic() + " " + record.partition() + "@" + record.offset(), e);
            }
            line.putNull("value");
            line.put("error", "cannot be decoded: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
            line.put("valueBase64", Base64.getEncoder().encodeToString(record.value()));
            return line;
        }
        line.set("value", value == null ? NODES.nullNode() : AvroJson.of((IndexedRecord) value));
        if (record.headers().toArray().length > 0) {
            line.set("headers", headers(record));
        }
        return line;
    }

    private static ObjectNode rawLine(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = header(record);
        Optional<String> key = record.key() == null ? Optional.empty() : utf8(record.key());
        if (record.key() != null && key.isEmpty()) {
            line.putNull("key");
            line.put("keyBase64", Base64.getEncoder().encodeToString(record.key()));
        } else {
            line.put("key", key.orElse(null));
        }
        line.put("valueBase64", record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
        line.set("headers", headers(record));
        return line;
    }

    /** Header values as text when they are UTF-8 (the dead-letter reasons are), else as {"base64": ...}. */
    private static ObjectNode headers(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode headers = NODES.objectNode();
        for (Header header : record.headers()) {
            if (header.value() == null) {
                headers.putNull(header.key());
                continue;
            }
            Optional<String> text = utf8(header.value());
            if (text.isPresent()) {
                headers.put(header.key(), text.get());
            } else {
                headers.set(header.key(), NODES.objectNode().put("base64",
                        Base64.getEncoder().encodeToString(header.value())));
            }
        }
        return headers;
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String write(ObjectNode line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String plain(Double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf(seconds.longValue()) : String.valueOf(seconds);
    }
}
