package io.rebill.cli.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.DemoStackExtension;
import io.rebill.cli.WalletTotals;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.rating.CdrRating;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.metrics.PrometheusText;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.usage.MessageChannel;
import io.rebill.schemas.usage.MessageEvent;
import io.rebill.topics.DeadLetterHeaders;
import io.rebill.topics.Topics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Valid CDRs and messages interleaved at random with every kind of bad input the README's "Bad
 * input" names, on the real broker, registry and services. Each record is sent with its expected
 * fate (charged, not billable, rejected with a reason code, dead-lettered), and the pipeline must
 * account for every one exactly: dead letters by source offset with their bytes intact, rejections
 * by source offset with their reason, charges by charge id, balances by the charges, and
 * sent = charged + not billable + rejected + dead-lettered. The seed is in every failure message;
 * rerun one with {@code -Drebill.fuzz.seed=N}.
 */
class BadInputFuzzIT {

    private static final long SEED = Long.getLong("rebill.fuzz.seed", 20261122L);
    private static final int RECORDS = Integer.getInteger("rebill.fuzz.records", 2_000);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Instant START = Instant.parse("2026-11-03T00:00:00Z");
    private static final String CARRIER = "carrier-fuzz";
    private static final String PLATFORM_NUMBER = "+14157670199";
    private static final Map<String, String> WORKSPACE_OF = Map.of("acme-dental", DemoData.ACME,
            "acme-law", DemoData.ACME, "acme-gym", DemoData.ACME, "nova-cafe", DemoData.NOVA,
            "nova-salon", DemoData.NOVA);
    private static final List<String> SUB_ACCOUNTS = WORKSPACE_OF.keySet().stream().sorted().toList();
    /** Concatenated SMS carry at most 255 segments of 153 GSM-7 septets. */
    private static final int MAX_GSM_CHARS = 255 * 153;
    private static final List<RateCardEntry> MESSAGE_RATES = List.of(
            perUnit("fuzz-sms-out-nanp", UsageType.SMS, Direction.OUTBOUND, "1", 7_900),
            perUnit("fuzz-sms-in-nanp", UsageType.SMS, Direction.INBOUND, "1", 7_500),
            perUnit("fuzz-mms-out-nanp", UsageType.MMS, Direction.OUTBOUND, "1", 20_000));

    @RegisterExtension
    static final DemoStackExtension DEMO_STACK = new DemoStackExtension((producer, topics) ->
            MESSAGE_RATES.forEach(rate -> producer.send(topics.rateCard, RateCardKey.of(rate), rate)));

    static LocalStack stack;
    static Topics topics;

    @BeforeAll
    static void useStack() {
        stack = DEMO_STACK.stack();
        topics = stack.topics();
    }

    // ---- what each record should come to ------------------------------------------------------------

    sealed interface Fate {
        record Charged(String chargeId) implements Fate {
        }

        record NotBillable() implements Fate {
        }

        record Rejected(String reasonCode) implements Fate {
        }

        record DeadLettered() implements Fate {
        }
    }

    /** One record as produced: its bytes, what it is meant to test, and where it landed. */
    static final class Sent {
        final String category;
        final String topic;
        final byte[] key;
        final byte[] value;
        final Fate fate;
        /** The cost the test expects for a charged call, when it works one out. */
        BigDecimal expectedCost;
        Future<RecordMetadata> future;
        int partition;
        long offset;

        Sent(String category, String topic, byte[] key, byte[] value, Fate fate) {
            this.category = category;
            this.topic = topic;
            this.key = key;
            this.value = value;
            this.fate = fate;
        }

        String where() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    @Test
    void shouldAccountForEveryGoodAndBadRecordExactlyAndKeepRunning() throws Exception {
        String seed = "seed " + SEED + " (rerun with -Drebill.fuzz.seed=" + SEED + ")";
        long started = System.nanoTime();
        List<Sent> sends = new Traffic(new Random(SEED)).generate(RECORDS);
        Map<TopicPartition, Long> produced = produce(sends);
        try (Admin admin = stack.admin()) {
            new PipelineProgress(stack.clientConfig(), topics, admin, TIMEOUT).awaitProcessed(produced);
        }

        // The traffic must hold every category, or the test proves less than its name says.
        Map<String, Long> byCategory = new TreeMap<>();
        sends.forEach(s -> byCategory.merge(s.category, 1L, Long::sum));
        assertThat(byCategory.keySet()).as(seed).containsAll(Traffic.CATEGORIES);
        System.out.printf("BadInputFuzzIT %s: %d records %s%n", seed, sends.size(), byCategory);

        Map<String, Object> client = stack.clientConfig();

        // Dead letters: exactly the unreadable records, by source offset, bytes intact, headers naming the source.
        Map<String, Sent> bySource = new HashMap<>();
        sends.forEach(s -> bySource.put(s.where(), s));
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.readAll(client, topics.meteringDeadLetter, TIMEOUT);
        Set<String> deadLettered = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> dl : deadLetters) {
            String where = header(dl, DeadLetterHeaders.TOPIC) + "-" + header(dl, DeadLetterHeaders.PARTITION) + "@"
                    + header(dl, DeadLetterHeaders.OFFSET);
            Sent source = bySource.get(where);
            assertThat(source).as("%s: dead letter %s names a record this test sent", seed, where).isNotNull();
            assertThat(deadLettered.add(where)).as("%s: %s dead-lettered once", seed, where).isTrue();
            assertThat(dl.value()).as("%s: value bytes of %s (%s)", seed, where, source.category).isEqualTo(source.value);
            assertThat(dl.key()).as("%s: key bytes of %s", seed, where).isEqualTo(source.key);
            assertThat(header(dl, DeadLetterHeaders.EXCEPTION)).as(seed).isNotBlank();
            assertThat(header(dl, DeadLetterHeaders.MESSAGE)).as(seed).isNotBlank();
        }
        assertThat(deadLettered).as("%s: dead-lettered records", seed).isEqualTo(wheres(sends, Fate.DeadLettered.class));

        // Rejections: exactly the readable but unratable records, by source offset, with the expected reason.
        Map<String, String> rejected = new TreeMap<>();
        for (ConsumerRecord<String, DeadLetter> r : TopicReader.readAll(client, topics.chargesRejected, TIMEOUT)) {
            DeadLetter dl = r.value();
            String where = dl.getSourceTopic() + "-" + dl.getSourcePartition() + "@" + dl.getSourceOffset();
            assertThat(rejected.put(where, dl.getReasonCode())).as("%s: %s rejected once", seed, where).isNull();
            assertThat(dl.getReason()).as(seed).isNotBlank();
        }
        Map<String, String> expectedRejections = new TreeMap<>();
        sends.stream().filter(s -> s.fate instanceof Fate.Rejected)
                .forEach(s -> expectedRejections.put(s.where(), ((Fate.Rejected) s.fate).reasonCode()));
        assertThat(rejected).as("%s: rejections by source offset", seed).isEqualTo(expectedRejections);

        // Charges: exactly one per good record, and the costs this test worked out.
        Map<String, RatedCharge> charges = new TreeMap<>();
        for (ConsumerRecord<String, RatedCharge> r : TopicReader.readAll(client, topics.chargesRated, TIMEOUT)) {
            assertThat(charges.put(r.value().getChargeId(), r.value())).as("%s: charge %s once", seed,
                    r.value().getChargeId()).isNull();
        }
        Map<String, Sent> expectedCharges = new TreeMap<>();
        sends.stream().filter(s -> s.fate instanceof Fate.Charged)
                .forEach(s -> expectedCharges.put(((Fate.Charged) s.fate).chargeId(), s));
        assertThat(charges.keySet()).as("%s: charge ids", seed).isEqualTo(expectedCharges.keySet());
        expectedCharges.forEach((id, s) -> {
            if (s.expectedCost != null) {
                assertThat(charges.get(id).getCostMicros()).as("%s: cost of %s (%s)", seed, id, s.category)
                        .isEqualTo(s.expectedCost.longValueExact());
            }
        });
        assertThat(charges.values()).as(seed).allSatisfy(c ->
                assertThat(c.getCostMicros() + c.getMarginMicros()).isEqualTo(c.getPriceMicros()));

        // Balances: the opening balances less exactly what the good records were charged.
        assertThat(WalletTotals.latestBalances(client, topics, TIMEOUT)).as("%s: balances", seed)
                .isEqualTo(WalletTotals.lessCharges(DemoData.openingBalances(), charges.values()));

        // Nothing reached the wallet that it could not read or apply.
        assertThat(TopicReader.readAll(client, topics.walletDeadLetter, TIMEOUT)).as(seed).isEmpty();
        assertThat(TopicReader.readAll(client, topics.walletRejected, TIMEOUT)).as(seed).isEmpty();

        // The counts add up: every record sent is charged, not billable, rejected or dead-lettered.
        long notBillable = sends.stream().filter(s -> s.fate instanceof Fate.NotBillable).count();
        String metrics = scrape(stack.meteringUrl() + "/metrics");
        assertThat(PrometheusText.sum(metrics, "rebill_metering_records_not_billable_total", Map.of()))
                .as("%s: not billable", seed).isEqualTo((double) notBillable);
        assertThat(PrometheusText.sum(metrics, "rebill_metering_records_rejected_total", Map.of()))
                .as("%s: rejected counter", seed).isEqualTo((double) rejected.size());
        assertThat(PrometheusText.sum(metrics, "rebill_metering_dead_letters_total", Map.of()))
                .as("%s: dead-letter counter", seed).isEqualTo((double) deadLettered.size());
        assertThat((long) charges.size() + notBillable + rejected.size() + deadLettered.size())
                .as("%s: sent = charged + not billable + rejected + dead-lettered", seed).isEqualTo(sends.size());

        // Still up: every service running, and a valid call after all that is still charged.
        assertThat(stack.metering().streams().state()).as(seed).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(stack.wallet().streams().state()).as(seed).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + stack.billingSink().httpPort() + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("%s: billing-sink ready", seed).isEqualTo(200);
        CallDetailRecord last = Traffic.call("last", "acme-dental", Direction.OUTBOUND, "+12125550123",
                CallDisposition.ANSWERED, 60, START.plusSeconds(3600));
        Sent lastSent = new Sent("last", topics.cdrRaw.name(), key(identity(last)), cdrBytes(last),
                new Fate.Charged(ChargeIds.forCdr(CARRIER, "last", 1)));
        Map<TopicPartition, Long> lastProduced = produce(List.of(lastSent));
        try (Admin admin = stack.admin()) {
            new PipelineProgress(stack.clientConfig(), topics, admin, TIMEOUT).awaitProcessed(lastProduced);
        }
        // 60 s at 13,000/min.
        assertThat(TopicReader.readAll(client, topics.chargesRated, TIMEOUT)).extracting(ConsumerRecord::value)
                .as(seed).anySatisfy(c -> {
                    assertThat(c.getChargeId()).isEqualTo("cdr:" + CARRIER + ":last:v1");
                    assertThat(c.getCostMicros()).isEqualTo(13_000);
                });
        System.out.printf("BadInputFuzzIT %s: %d charged, %d not billable, %d rejected %s, %d dead-lettered in %d s%n",
                seed, charges.size(), notBillable, rejected.size(), countByValue(rejected), deadLettered.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /**
     * Malformed ids, parameters, methods and bodies against the running wallet-stream's HTTP API:
     * every answer is a 4xx (never a 5xx, never a 200), and afterwards no topic has a record more and
     * the wallet's own answer for a known workspace is unchanged.
     */
    @Test
    void shouldRejectMalformedWalletRequestsWithoutSideEffects() throws Exception {
        String seed = "seed " + SEED + " (rerun with -Drebill.fuzz.seed=" + SEED + ")";
        Random random = new Random(SEED);
        try (Admin admin = stack.admin()) {
            new PipelineProgress(stack.clientConfig(), topics, admin, TIMEOUT).awaitProcessed(Map.of());
        }
        Map<String, Map<TopicPartition, Long>> before = endOffsets();
        int port = stack.wallet().httpPort();
        String known = rawRequest(port, "GET", "/workspaces/acme-agency", null).body;

        List<String> ids = new ArrayList<>(List.of("..", "../..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e",
                "acme-agency%2Facme-dental", "acme-agency%2F..", "%00", "acme%00agency", "%ff%fe", "%", "%zz", "%E2%82",
                "\u30ef\u30fc\u30af", "acme-\u00e4gency", "\ud83d\ude00", "%F0%9F%98%80", "-acme", ".hidden",
                "_acme", "acme agency".replace(" ", "%20"), "acme+agency", "a;b", "a'b", "a\"b", "<script>", "${jndi:x}",
                "a".repeat(129), "a".repeat(10_000), "%61".repeat(3_000)));
        for (int i = 0; i < 40; i++) {
            StringBuilder id = new StringBuilder();
            int length = 1 + random.nextInt(random.nextBoolean() ? 20 : 5_000);
            for (int c = 0; c < length; c++) {
                // Any code point a URL may carry once percent-encoded, including '/', '%' and NUL.
                int codePoint = random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x2000) : random.nextInt(0x80);
                id.append(java.net.URLEncoder.encode(new String(Character.toChars(codePoint)), StandardCharsets.UTF_8));
            }
            if (!id.toString().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                ids.add(id.toString());
            }
        }
        List<String> paths = new ArrayList<>();
        for (String id : ids) {
            String encoded = encodeNonAscii(id);
            paths.add("/workspaces/" + encoded);
            paths.add("/workspaces/acme-agency/sub-accounts/" + encoded);
            paths.add("/workspaces/" + encoded + "/sub-accounts/acme-dental/usage");
            paths.add("/workspaces/acme-agency/sub-accounts/" + encoded + "/ledger");
            paths.add("/workspaces/" + encoded + "/ledger");
            paths.add("/access/" + encoded);
        }
        for (String parameter : List.of("limit=0", "limit=-1", "limit=501", "limit=abc", "limit=1e3",
                "limit=99999999999999999999", "limit=", "before=x", "before=-1", "before=99999999999999999999",
                "limit=%", "limit=%zz", "limit=10&limit=x")) {
            paths.add("/workspaces/acme-agency/ledger?" + parameter);
            paths.add("/workspaces/acme-agency/sub-accounts/acme-dental/ledger?" + parameter);
        }
        paths.add("/workspaces/acme-agency/../../../etc/passwd");
        paths.add("/workspaces/acme-agency/sub-accounts/acme-dental/../../../..");
        paths.add("//workspaces//acme-agency");
        paths.add("/workspaces/acme-agency/" + "x/".repeat(2_000));

        List<String> failures = new ArrayList<>();
        for (String path : paths) {
            RawResponse response = rawRequest(port, "GET", path, null);
            if (response.status < 400 || response.status >= 500) {
                failures.add("GET " + abbreviate(path) + " -> " + response.status + " " + abbreviate(response.body));
            }
        }
        // Writes the API does not have, with bodies that are empty, invalid JSON, or far too big.
        byte[] oversized = new byte[2 * 1024 * 1024];
        random.nextBytes(oversized);
        List<byte[]> bodies = List.of(new byte[0], "{\"balanceMicros\": 999999999".getBytes(StandardCharsets.UTF_8),
                "{\"balanceMicros\": 1e400, \"walletId\": \"acme-agency\"}".getBytes(StandardCharsets.UTF_8),
                oversized);
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            for (String path : List.of("/workspaces/acme-agency", "/workspaces/acme-agency/sub-accounts/acme-dental",
                    "/workspaces/acme-agency/ledger", "/access/acme-dental")) {
                for (byte[] body : bodies) {
                    RawResponse response = rawRequest(port, method, path, body);
                    if (response.status < 400 || response.status >= 500) {
                        failures.add(method + " " + path + " with " + body.length + " bytes -> " + response.status);
                    }
                }
            }
        }
        System.out.printf("BadInputFuzzIT %s: %d malformed wallet requests%n", seed, paths.size() + 64);
        assertThat(failures).as("%s: requests not answered with a 4xx", seed).isEmpty();

        assertThat(rawRequest(port, "GET", "/workspaces/acme-agency", null).body).as(seed).isEqualTo(known);
        try (Admin admin = stack.admin()) {
            new PipelineProgress(stack.clientConfig(), topics, admin, TIMEOUT).awaitProcessed(Map.of());
        }
        assertThat(endOffsets()).as("%s: no topic has a record more", seed).isEqualTo(before);
        assertThat(stack.wallet().streams().state()).as(seed).isEqualTo(KafkaStreams.State.RUNNING);
    }

    record RawResponse(int status, String body) {
    }

    /** One HTTP/1.1 request written byte for byte, so the path reaches the server exactly as given. */
    private static RawResponse rawRequest(int port, String method, String path, byte[] body) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\nConnection: close\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            if (body != null) {
                // A server that answers without reading a body it does not want, then closes with the body
                // unread, resets the connection, and an answer not yet read would be lost. So the body
                // goes out only if no answer comes first.
                socket.setSoTimeout(1_000);
                try {
                    int n = in.read(buffer);
                    if (n > 0) {
                        received.write(buffer, 0, n);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    try {
                        out.write(body);
                        out.flush();
                    } catch (java.io.IOException closed) {
                        // the server stopped reading: its answer, if any, follows
                    }
                }
                socket.setSoTimeout(30_000);
            }
            try {
                // Until the whole answer is in: the server may keep the connection open to drain a body.
                while (!isComplete(received.toByteArray())) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    received.write(buffer, 0, n);
                }
            } catch (java.io.IOException e) {
                // a reset after the answer: keep what arrived
            }
            byte[] answer = received.toByteArray();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new RawResponse(-1, text);
            }
            int bodyStart = text.indexOf("\r\n\r\n");
            return new RawResponse(Integer.parseInt(text.substring(9, 12)),
                    bodyStart < 0 ? "" : new String(answer, bodyStart + 4, answer.length - bodyStart - 4,
                            StandardCharsets.UTF_8));
        }
    }

    /** Whether the bytes hold a whole HTTP answer: its head and, when it says how long, its body. */
    private static boolean isComplete(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$")
                .matcher(text.substring(0, headEnd));
        return length.find() && answer.length >= headEnd + 4 + Long.parseLong(length.group(1));
    }

    /** Non-ASCII characters percent-encoded as UTF-8; everything else left as it is. */
    private static String encodeNonAscii(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(b >= 0x21 && b < 0x7f ? String.valueOf((char) b) : String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + " chars)";
    }

    private static Map<String, Map<TopicPartition, Long>> endOffsets() {
        Map<String, Map<TopicPartition, Long>> offsets = new TreeMap<>();
        for (var topic : topics.all()) {
            offsets.put(topic.name(), TopicReader.nextOffsetsAfterLastRecord(stack.clientConfig(), topic.name(),
                    TIMEOUT));
        }
        return offsets;
    }

    // ---- the traffic --------------------------------------------------------------------------------

    final class Traffic {
        static final List<String> CATEGORIES = List.of("good-cdr", "good-cdr-null-key", "good-message",
                "unanswered", "zero-seconds", "longest-call", "absurd-long-call", "billed-beyond-call", "random-bytes",
                "truncated-avro",
                "unknown-schema-id", "wrong-schema", "negative-seconds", "end-before-start", "unknown-workspace",
                "unparsable-number", "oversized-body", "null-value");

        private final Random random;
        private int next;

        Traffic(Random random) {
            this.random = random;
        }

        List<Sent> generate(int count) {
            List<Sent> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int roll = random.nextInt(100);
                sends.add(roll < 35 ? goodCdr() : roll < 55 ? goodMessage() : bad(roll));
            }
            return sends;
        }

        private Sent bad(int roll) {
            return switch (roll % 15) {
                case 0 -> goodCdrWithoutKey();
                case 1 -> notBillable();
                case 2 -> switch (random.nextInt(3)) {
                    case 0 -> longestCall();
                    case 1 -> absurdLongCall();
                    default -> billedBeyondCall();
                };
                case 3 -> randomBytes();
                case 4 -> truncated();
                case 5 -> unknownSchemaId();
                case 6 -> wrongSchema();
                case 7 -> negativeSeconds();
                case 8 -> endBeforeStart();
                case 9 -> unknownWorkspace();
                case 10 -> unparsableNumber();
                case 11 -> oversizedBody();
                case 12 -> nullValue();
                case 13 -> random.nextBoolean() ? randomBytes() : truncated();
                default -> random.nextBoolean() ? unknownWorkspace() : wrongSchema();
            };
        }

        private String id() {
            return "f-" + (++next);
        }

        private Sent goodCdr() {
            CallDetailRecord cdr = answered(id());
            Sent sent = cdrSent("good-cdr", identity(cdr), cdr, new Fate.Charged(chargeId(cdr)));
            sent.expectedCost = costOf(cdr);
            return sent;
        }

        /** A valid CDR without a key: metering re-keys it by its identity and charges it. */
        private Sent goodCdrWithoutKey() {
            CallDetailRecord cdr = answered(id());
            Sent sent = cdrSent("good-cdr-null-key", null, cdr, new Fate.Charged(chargeId(cdr)));
            sent.expectedCost = costOf(cdr);
            return sent;
        }

        private Sent notBillable() {
            String subAccount = subAccount();
            boolean zero = random.nextBoolean();
            CallDetailRecord cdr = call(id(), subAccount, Direction.OUTBOUND, nanp(),
                    zero ? CallDisposition.ANSWERED : random.nextBoolean() ? CallDisposition.NO_ANSWER : CallDisposition.BUSY,
                    0, start());
            return cdrSent(zero ? "zero-seconds" : "unanswered", identity(cdr), cdr, new Fate.NotBillable());
        }

        /** 24 hours on the phone, the longest call accepted: charged exactly. */
        private Sent longestCall() {
            CallDetailRecord cdr = call(id(), subAccount(), Direction.OUTBOUND, destination(), CallDisposition.ANSWERED,
                    CdrRating.DEFAULT_MAX_BILLABLE_SECONDS, start());
            Sent sent = cdrSent("longest-call", identity(cdr), cdr, new Fate.Charged(chargeId(cdr)));
            sent.expectedCost = costOf(cdr);
            return sent;
        }

        /** A day and a second, up to 68 years, with times that agree: longer than any call accepted. */
        private Sent absurdLongCall() {
            int seconds = random.nextBoolean() ? CdrRating.DEFAULT_MAX_BILLABLE_SECONDS + 1
                    : Integer.MAX_VALUE - random.nextInt(1000);
            CallDetailRecord cdr = call(id(), subAccount(), Direction.OUTBOUND, destination(), CallDisposition.ANSWERED,
                    seconds, start());
            return cdrSent("absurd-long-call", identity(cdr), cdr, new Fate.Rejected("INVALID_CDR"));
        }

        /** More billable seconds than from answer to hang-up, beyond the carrier's second of rounding. */
        private Sent billedBeyondCall() {
            CallDetailRecord good = answered(id());
            CallDetailRecord cdr = CallDetailRecord.newBuilder(good)
                    .setBillableSeconds(good.getBillableSeconds() + 2 + random.nextInt(10_000)).build();
            return cdrSent("billed-beyond-call", identity(cdr), cdr, new Fate.Rejected("INVALID_CDR"));
        }

        private Sent randomBytes() {
            byte[] bytes = new byte[random.nextInt(120)];
            random.nextBytes(bytes);
            if (bytes.length >= 5 && bytes[0] == 0) {
                bytes[1] = 0x7f; // a schema id no registry here has handed out
            }
            return new Sent("random-bytes", rawTopic(), randomKey(), bytes, new Fate.DeadLettered());
        }

        /** A valid record's bytes cut short, anywhere from nothing to one byte short. */
        private Sent truncated() {
            boolean cdr = random.nextBoolean();
            byte[] whole = cdr ? cdrBytes(answered(id())) : messageBytes(sms(id(), subAccount(), "a".repeat(100)));
            byte[] cut = Arrays.copyOf(whole, random.nextInt(whole.length));
            return new Sent("truncated-avro", cdr ? topics.cdrRaw.name() : topics.messagesRaw.name(), randomKey(), cut,
                    new Fate.DeadLettered());
        }

        private Sent unknownSchemaId() {
            byte[] bytes = cdrBytes(answered(id()));
            // Far above any id this registry hands out, or negative.
            int id = 1_000_000 + random.nextInt(Integer.MAX_VALUE - 1_000_000);
            ByteBuffer.wrap(bytes, 1, 4).putInt(random.nextInt(4) == 0 ? -id : id);
            return new Sent("unknown-schema-id", topics.cdrRaw.name(), randomKey(), bytes, new Fate.DeadLettered());
        }

        /** A valid Avro record of another schema, under that schema's own registered id. */
        private Sent wrongSchema() {
            return switch (random.nextInt(3)) {
                case 0 -> new Sent("wrong-schema", topics.cdrRaw.name(), randomKey(),
                        topics.rateCard.valueSerde().serializer().serialize(topics.rateCard.name(),
                                MESSAGE_RATES.get(random.nextInt(MESSAGE_RATES.size()))), new Fate.DeadLettered());
                case 1 -> new Sent("wrong-schema", topics.cdrRaw.name(), randomKey(),
                        messageBytes(sms(id(), subAccount(), "wrong topic")), new Fate.DeadLettered());
                default -> new Sent("wrong-schema", topics.messagesRaw.name(), randomKey(),
                        cdrBytes(answered(id())), new Fate.DeadLettered());
            };
        }

        private Sent negativeSeconds() {
            int seconds = random.nextBoolean() ? -1 - random.nextInt(3600) : Integer.MIN_VALUE + random.nextInt(10);
            CallDetailRecord cdr = CallDetailRecord.newBuilder(answered(id())).setBillableSeconds(seconds).build();
            return cdrSent("negative-seconds", identity(cdr), cdr, new Fate.Rejected("INVALID_CDR"));
        }

        private Sent endBeforeStart() {
            CallDetailRecord good = answered(id());
            CallDetailRecord cdr = CallDetailRecord.newBuilder(good)
                    .setEndTime(good.getStartTime().minusSeconds(1 + random.nextInt(1_000_000))).build();
            return cdrSent("end-before-start", identity(cdr), cdr, new Fate.Rejected("INVALID_CDR"));
        }

        private Sent unknownWorkspace() {
            String ghost = "ghost-" + random.nextInt(1000);
            if (random.nextBoolean()) {
                CallDetailRecord cdr = CallDetailRecord.newBuilder(answered(id())).setWorkspaceId(ghost).build();
                return cdrSent("unknown-workspace", identity(cdr), cdr, new Fate.Rejected("UNKNOWN_WORKSPACE"));
            }
            MessageEvent event = MessageEvent.newBuilder(sms(id(), subAccount(), "hi")).setWorkspaceId(ghost).build();
            return messageSent("unknown-workspace", event, new Fate.Rejected("UNKNOWN_WORKSPACE"));
        }

        private Sent unparsableNumber() {
            // Not "++12125550123": libphonenumber reads it as +1 212 555 0123, and so the pipeline charges it.
            List<String> numbers = List.of("+1234", "12125550123", "", "  ", "+", "+1 (212) 55",
                    "+999123456789", "call me", "+1212555012345678901", "\u0661\u0662\u0663", "+44\u00a0");
            String number = numbers.get(random.nextInt(numbers.size()));
            CallDetailRecord cdr = CallDetailRecord.newBuilder(answered(id())).setDirection(Direction.OUTBOUND)
                    .setFromNumber(PLATFORM_NUMBER).setToNumber(number).build();
            return cdrSent("unparsable-number", identity(cdr), cdr, new Fate.Rejected("INVALID_NUMBER"));
        }

        /** More than 255 segments: GSM-7 beyond 255 x 153 septets, or UCS-2 beyond 255 x 67 units. */
        private Sent oversizedBody() {
            String body = random.nextBoolean() ? "a".repeat(MAX_GSM_CHARS + 1 + random.nextInt(2_000))
                    : "\u0436".repeat(255 * 67 + 1 + random.nextInt(2_000));
            return messageSent("oversized-body", sms(id(), subAccount(), body), new Fate.Rejected("INVALID_MESSAGE"));
        }

        /** A null value (a tombstone on a usage topic), with or without a key. */
        private Sent nullValue() {
            boolean cdr = random.nextBoolean();
            byte[] key = random.nextBoolean() ? null : key(CARRIER + ":" + id());
            return new Sent("null-value", cdr ? topics.cdrRaw.name() : topics.messagesRaw.name(), key, null,
                    new Fate.Rejected(cdr ? "INVALID_CDR" : "INVALID_MESSAGE"));
        }

        private Sent goodMessage() {
            String id = id();
            // MMS outbound only: the IT prices no inbound MMS.
            MessageEvent event = random.nextInt(4) == 0
                    ? MessageEvent.newBuilder(sms(id, subAccount(), null)).setChannel(MessageChannel.MMS)
                            .setDirection(Direction.OUTBOUND).setFromAddress(PLATFORM_NUMBER).setToAddress(nanp()).build()
                    : sms(id, subAccount(), random.nextBoolean()
                            ? "a".repeat(1 + random.nextInt(random.nextInt(20) == 0 ? MAX_GSM_CHARS : 1_000))
                            : "\u0436".repeat(1 + random.nextInt(500)));
            return messageSent("good-message", event, new Fate.Charged(ChargeIds.forMessage(event.getEventId())));
        }

        private Sent cdrSent(String category, String key, CallDetailRecord cdr, Fate fate) {
            return new Sent(category, topics.cdrRaw.name(), key == null ? null : key(key), cdrBytes(cdr), fate);
        }

        private Sent messageSent(String category, MessageEvent event, Fate fate) {
            return new Sent(category, topics.messagesRaw.name(), key(event.getEventId()), messageBytes(event), fate);
        }

        private CallDetailRecord answered(String cdrId) {
            boolean outbound = random.nextInt(10) < 7;
            return call(cdrId, subAccount(), outbound ? Direction.OUTBOUND : Direction.INBOUND,
                    outbound ? destination() : nanp(), CallDisposition.ANSWERED, 1 + random.nextInt(900), start());
        }

        static CallDetailRecord call(String cdrId, String subAccount, Direction direction, String remote,
                                     CallDisposition disposition, int seconds, Instant start) {
            return CallDetailRecord.newBuilder().setCarrierId(CARRIER).setCdrId(cdrId).setVersion(1)
                    .setWorkspaceId(WORKSPACE_OF.get(subAccount)).setSubAccountId(subAccount).setCallId("call-" + cdrId)
                    .setService(CallService.VOICE).setDirection(direction)
                    .setFromNumber(direction == Direction.OUTBOUND ? PLATFORM_NUMBER : remote)
                    .setToNumber(direction == Direction.OUTBOUND ? remote : PLATFORM_NUMBER)
                    .setStartTime(start)
                    .setAnswerTime(disposition == CallDisposition.ANSWERED ? start.plusSeconds(4) : null)
                    .setEndTime(start.plusSeconds(4L + seconds)).setBillableSeconds(seconds)
                    .setDisposition(disposition).build();
        }

        private MessageEvent sms(String eventId, String subAccount, String body) {
            boolean outbound = random.nextInt(10) < 7;
            return MessageEvent.newBuilder().setEventId(eventId).setWorkspaceId(WORKSPACE_OF.get(subAccount))
                    .setSubAccountId(subAccount).setChannel(MessageChannel.SMS)
                    .setDirection(outbound ? Direction.OUTBOUND : Direction.INBOUND)
                    .setFromAddress(outbound ? PLATFORM_NUMBER : nanp()).setToAddress(outbound ? nanp() : PLATFORM_NUMBER)
                    .setBody(body).setTimestamp(start()).build();
        }

        private String subAccount() {
            return SUB_ACCOUNTS.get(random.nextInt(SUB_ACCOUNTS.size()));
        }

        private Instant start() {
            return START.plusSeconds(random.nextInt(10 * 24 * 3600));
        }

        private String rawTopic() {
            return random.nextBoolean() ? topics.cdrRaw.name() : topics.messagesRaw.name();
        }

        private byte[] randomKey() {
            int roll = random.nextInt(3);
            if (roll == 0) {
                return null;
            }
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            return roll == 1 ? bytes : key(CARRIER + ":" + id());
        }

        /** Destinations the demo's rate card prices: US, UK landline and mobile, Jamaica, Mexico. */
        private String destination() {
            int roll = random.nextInt(100);
            if (roll < 60) {
                return nanp();
            }
            if (roll < 70) {
                return "+4420" + (7 + random.nextInt(2)) + digits(7);
            }
            if (roll < 80) {
                return "+447" + (4 + random.nextInt(6)) + digits(8);
            }
            if (roll < 90) {
                return "+1876" + (2 + random.nextInt(8)) + digits(6);
            }
            return "+5255" + (1 + random.nextInt(9)) + digits(7);
        }

        private String nanp() {
            return "+1" + List.of("212", "415", "312", "416").get(random.nextInt(4)) + (2 + random.nextInt(8)) + digits(6);
        }

        private String digits(int count) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < count; i++) {
                out.append(random.nextInt(10));
            }
            return out.toString();
        }
    }

    // ---- the independent cost of a call ------------------------------------------------------------------

    /** Billed seconds at the rate in force (longest prefix), half-up, plus the connect fee, in BigDecimal. */
    static BigDecimal costOf(CallDetailRecord cdr) {
        String digits = cdr.getToNumber().substring(1);
        RateCardEntry rate = DemoData.rateCard().stream()
                .filter(e -> e.getUsageType() == UsageType.VOICE && e.getDirection() == cdr.getDirection())
                .filter(e -> digits.startsWith(e.getDestinationPrefix()) && !e.getValidFrom().isAfter(cdr.getStartTime()))
                .max(Comparator.<RateCardEntry>comparingInt(e -> e.getDestinationPrefix().length())
                        .thenComparing(RateCardEntry::getValidFrom))
                .orElseThrow(() -> new IllegalStateException("no demo rate for " + cdr.getToNumber()));
        long counted = Math.max(cdr.getBillableSeconds(), rate.getMinimumBillableSeconds());
        long first = rate.getFirstIncrementSeconds();
        long next = rate.getNextIncrementSeconds();
        long billed = counted <= first ? first : first + (counted - first + next - 1) / next * next;
        return BigDecimal.valueOf(billed).multiply(BigDecimal.valueOf(rate.getUnitPriceMicros()))
                .divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
                .add(BigDecimal.valueOf(rate.getConnectFeeMicros()));
    }

    // ---- plumbing -----------------------------------------------------------------------------------------

    private static Map<TopicPartition, Long> produce(List<Sent> sends) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        Map<TopicPartition, Long> next = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Sent s : sends) {
                s.future = producer.send(new ProducerRecord<>(s.topic, s.key, s.value));
            }
            for (Sent s : sends) {
                RecordMetadata metadata = s.future.get();
                s.partition = metadata.partition();
                s.offset = metadata.offset();
                next.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1, Math::max);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Producing the fuzz traffic failed (seed " + SEED + ")", e);
        }
        return next;
    }

    private static Set<String> wheres(List<Sent> sends, Class<? extends Fate> fate) {
        Set<String> wheres = new TreeSet<>();
        sends.stream().filter(s -> fate.isInstance(s.fate)).forEach(s -> wheres.add(s.where()));
        return wheres;
    }

    private static Map<String, Long> countByValue(Map<String, String> map) {
        Map<String, Long> counts = new TreeMap<>();
        map.values().forEach(v -> counts.merge(v, 1L, Long::sum));
        return counts;
    }

    private static String identity(CallDetailRecord cdr) {
        return ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId());
    }

    private static String chargeId(CallDetailRecord cdr) {
        return ChargeIds.forCdr(cdr.getCarrierId(), cdr.getCdrId(), cdr.getVersion());
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] cdrBytes(CallDetailRecord cdr) {
        return topics.cdrRaw.valueSerde().serializer().serialize(topics.cdrRaw.name(), cdr);
    }

    private static byte[] messageBytes(MessageEvent event) {
        return topics.messagesRaw.valueSerde().serializer().serialize(topics.messagesRaw.name(), event);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String scrape(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static RateCardEntry perUnit(String id, UsageType type, Direction direction, String prefix, long micros) {
        return RateCardEntry.newBuilder().setRateId(id).setVersion(1).setUsageType(type).setDirection(direction)
                .setDestinationPrefix(prefix).setCurrency("USD").setUnitPriceMicros(micros)
                .setValidFrom(DemoData.RATES_VALID_FROM).build();
    }
}
