package io.rebill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.demo.DemoData;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.ChargeKind;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.usage.MessageChannel;
import io.rebill.schemas.usage.MessageEvent;
import io.rebill.topics.Topics;
import io.rebill.wallet.ledger.WalletIds;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mixed stream of voice, SMS, MMS and email on the real broker and registry, with duplicates
 * (some under the wrong key), corrections, stale versions, garbage bytes and unratable records.
 * Every surviving charge, every wallet balance and every rejection count must equal what this
 * test works out on its own, with BigDecimal and none of the pipeline's rating code.
 */
class MeteringIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Instant START = Instant.parse("2026-11-03T00:00:00Z");
    private static final String CARRIER = "carrier-mix";
    private static final Map<String, String> WORKSPACE_OF = Map.of("acme-dental", DemoData.ACME,
            "acme-law", DemoData.ACME, "acme-gym", DemoData.ACME, "nova-cafe", DemoData.NOVA,
            "nova-salon", DemoData.NOVA);
    private static final List<String> SUB_ACCOUNTS = WORKSPACE_OF.keySet().stream().sorted().toList();
    private static final String PLATFORM_NUMBER = "+14157670199";

    /** Per-segment and per-message prices the IT adds to the demo's voice rate card. */
    private static final List<RateCardEntry> MESSAGE_RATES = List.of(
            perUnit("sms-out-nanp", UsageType.SMS, Direction.OUTBOUND, "1", 7_900),
            perUnit("sms-in-nanp", UsageType.SMS, Direction.INBOUND, "1", 7_500),
            perUnit("sms-out-uk", UsageType.SMS, Direction.OUTBOUND, "44", 45_000),
            perUnit("mms-out-nanp", UsageType.MMS, Direction.OUTBOUND, "1", 20_000),
            perUnit("mms-in-nanp", UsageType.MMS, Direction.INBOUND, "1", 15_000),
            perUnit("email-out", UsageType.EMAIL, Direction.OUTBOUND, "", 675));

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

    @Test
    void shouldChargeAMixedStreamExactlyAsAnIndependentComputationSays() throws Exception {
        Traffic traffic = Traffic.generate(new Random(20261122));

        Map<TopicPartition, Long> sent;
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            for (Sent record : traffic.sends) {
                if (record instanceof Sent.Cdr cdr) {
                    producer.send(topics.cdrRaw, cdr.key(), cdr.cdr());
                } else if (record instanceof Sent.Message message) {
                    producer.send(topics.messagesRaw, message.key(), message.event());
                } else if (record instanceof Sent.Garbage garbage) {
                    producer.sendRaw(topics.cdrRaw.name(), null, garbage.bytes());
                }
            }
            sent = producer.flush();
        }
        try (Admin admin = stack.admin()) {
            new PipelineProgress(stack.clientConfig(), topics, admin, TIMEOUT).awaitProcessed(sent);
        }

        Expected expected = Expected.compute(traffic);
        // The traffic must exercise what the test is named for, not pass on an empty stream.
        assertThat(expected.charges).hasSizeGreaterThan(450);
        assertThat(expected.corrections).isGreaterThan(15);
        assertThat(expected.rejectedByReason.get("NO_RATE")).isGreaterThan(3);
        Map<String, Object> client = stack.clientConfig();
        Map<String, RatedCharge> charges = new LinkedHashMap<>();
        TopicReader.readAll(client, topics.chargesRated, TIMEOUT).stream().map(ConsumerRecord::value)
                .filter(c -> c.getSourceRef().startsWith("cdr:" + CARRIER) || c.getSourceRef().startsWith("msg:mix-"))
                .forEach(c -> assertThat(charges.putIfAbsent(c.getChargeId(), c)).as("charge %s written once",
                        c.getChargeId()).isNull());

        // Every reversal cancels exactly the charge it names; what is left is one charge per final record.
        Set<String> reversed = new HashSet<>();
        for (RatedCharge reversal : charges.values()) {
            if (reversal.getKind() == ChargeKind.REVERSAL) {
                RatedCharge original = charges.get(reversal.getReversesChargeId());
                assertThat(original).as("original of %s", reversal.getChargeId()).isNotNull();
                assertThat(reversal.getCostMicros()).isEqualTo(-original.getCostMicros());
                assertThat(reversal.getPriceMicros()).isEqualTo(-original.getPriceMicros());
                reversed.add(reversal.getReversesChargeId());
            }
        }
        Map<String, List<Long>> live = new TreeMap<>();
        charges.values().stream().filter(c -> c.getKind() == ChargeKind.USAGE && !reversed.contains(c.getChargeId()))
                .forEach(c -> live.put(c.getChargeId(), List.of(c.getCostMicros(), c.getPriceMicros(),
                        c.getBillable() ? 1L : 0L)));
        assertThat(live).isEqualTo(expected.charges);
        assertThat(charges.values()).allSatisfy(c ->
                assertThat(c.getCostMicros() + c.getMarginMicros()).isEqualTo(c.getPriceMicros()));
        assertThat(reversed).hasSize(expected.corrections);

        Map<String, Long> rejectedByReason = new TreeMap<>();
        TopicReader.readAll(client, topics.chargesRejected, TIMEOUT).stream().map(ConsumerRecord::value)
                .forEach(r -> rejectedByReason.merge(r.getReasonCode(), 1L, Long::sum));
        assertThat(rejectedByReason).isEqualTo(expected.rejectedByReason);
        assertThat(TopicReader.readAll(client, topics.meteringDeadLetter, TIMEOUT)).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(traffic.sends.stream()
                        .filter(s -> s instanceof Sent.Garbage).map(s -> ((Sent.Garbage) s).bytes()).toList());

        Map<String, Long> balances = WalletTotals.latestBalances(client, topics, TIMEOUT);
        assertThat(balances).containsAllEntriesOf(expected.balances);
        Map<String, Long> ledgerSums = new HashMap<>();
        TopicReader.readAll(client, topics.walletLedger, TIMEOUT).stream().map(ConsumerRecord::value)
                .forEach(e -> ledgerSums.merge(e.getWalletId(), e.getAmountMicros(), Long::sum));
        assertThat(ledgerSums).isEqualTo(balances);
    }

    // ---- the traffic --------------------------------------------------------------------------------

    /** One record as produced, in order. */
    sealed interface Sent {
        record Cdr(String key, CallDetailRecord cdr) implements Sent {
        }

        record Message(String key, MessageEvent event) implements Sent {
        }

        record Garbage(byte[] bytes) implements Sent {
        }
    }

    /** The records to send and what each bad one is expected to be rejected as. */
    static final class Traffic {
        final List<Sent> sends = new ArrayList<>();
        final Map<String, Long> badByReason = new TreeMap<>();

        static Traffic generate(Random random) {
            Traffic traffic = new Traffic();
            List<CallDetailRecord> originals = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                originals.add(call(random, "c-" + i, 1));
            }
            for (CallDetailRecord cdr : originals) {
                traffic.sendCdr(cdr);
            }
            // Duplicates, half of them published under a key that is not the CDR's identity.
            for (int i = 0; i < originals.size(); i += 9) {
                CallDetailRecord cdr = originals.get(i);
                traffic.sends.add(new Sent.Cdr(i % 2 == 0 ? identity(cdr) : "call-" + cdr.getCallId(), cdr));
            }
            // Corrections, and for some the stale original sent again after its correction.
            for (int i = 3; i < originals.size(); i += 11) {
                CallDetailRecord v1 = originals.get(i);
                if (isChina(v1)) {
                    continue;
                }
                CallDetailRecord v2 = CallDetailRecord.newBuilder(v1).setVersion(2)
                        .setBillableSeconds(v1.getBillableSeconds() + 37).setDisposition(CallDisposition.ANSWERED)
                        .setAnswerTime(v1.getStartTime().plusSeconds(4))
                        .setEndTime(v1.getStartTime().plusSeconds(4L + v1.getBillableSeconds() + 37)).build();
                traffic.sendCdr(v2);
                if (i % 3 == 0) {
                    traffic.sendCdr(v1);
                }
            }
            for (int i = 1; i <= 5; i++) {
                traffic.sendBad(CallDetailRecord.newBuilder(call(random, "bad-duration-" + i, 1))
                        .setDisposition(CallDisposition.ANSWERED).setBillableSeconds(-i).build(), "INVALID_CDR");
                traffic.sendBad(CallDetailRecord.newBuilder(call(random, "ghost-" + i, 1))
                        .setWorkspaceId("ghost-agency").build(), "UNKNOWN_WORKSPACE");
                traffic.sendBad(CallDetailRecord.newBuilder(call(random, "bad-number-" + i, 1))
                        .setDirection(Direction.OUTBOUND).setDisposition(CallDisposition.ANSWERED)
                        .setBillableSeconds(30).setToNumber("+1234").build(), "INVALID_NUMBER");
                traffic.sends.add(new Sent.Garbage(new byte[] {0, 0, 0, 0x55, (byte) i, 1, 2, 3}));
            }
            List<MessageEvent> messages = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                messages.add(message(random, "mix-" + i));
            }
            messages.forEach(m -> traffic.sends.add(new Sent.Message(m.getEventId(), m)));
            for (int i = 0; i < messages.size(); i += 13) {
                MessageEvent m = messages.get(i);
                traffic.sends.add(new Sent.Message(i % 2 == 0 ? m.getEventId() : "other-" + i, m));
            }
            return traffic;
        }

        private void sendCdr(CallDetailRecord cdr) {
            sends.add(new Sent.Cdr(identity(cdr), cdr));
        }

        private void sendBad(CallDetailRecord cdr, String reason) {
            sendCdr(cdr);
            badByReason.merge(reason, 1L, Long::sum);
        }

        private static String identity(CallDetailRecord cdr) {
            return ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId());
        }

        static boolean isChina(CallDetailRecord cdr) {
            return cdr.getToNumber().startsWith("+86");
        }

        private static CallDetailRecord call(Random random, String cdrId, int version) {
            String subAccount = SUB_ACCOUNTS.get(random.nextInt(SUB_ACCOUNTS.size()));
            boolean ai = random.nextInt(10) < 3;
            Direction direction = random.nextInt(10) < 7 ? Direction.OUTBOUND : Direction.INBOUND;
            String remote = ai || direction == Direction.INBOUND ? nanp(random) : destination(random);
            int roll = random.nextInt(20);
            CallDisposition disposition = roll < 17 ? CallDisposition.ANSWERED
                    : roll < 19 ? CallDisposition.NO_ANSWER : CallDisposition.BUSY;
            int seconds = disposition == CallDisposition.ANSWERED ? random.nextInt(900) : 0;
            Instant start = START.plusSeconds(random.nextInt(10 * 24 * 3600));
            return CallDetailRecord.newBuilder().setCarrierId(CARRIER).setCdrId(cdrId).setVersion(version)
                    .setWorkspaceId(WORKSPACE_OF.get(subAccount)).setSubAccountId(subAccount).setCallId("call-" + cdrId)
                    .setService(ai ? CallService.VOICE_AI : CallService.VOICE).setDirection(direction)
                    .setFromNumber(direction == Direction.OUTBOUND ? PLATFORM_NUMBER : remote)
                    .setToNumber(direction == Direction.OUTBOUND ? remote : PLATFORM_NUMBER)
                    .setStartTime(start)
                    .setAnswerTime(disposition == CallDisposition.ANSWERED ? start.plusSeconds(4) : null)
                    .setEndTime(start.plusSeconds(4L + seconds)).setBillableSeconds(seconds)
                    .setDisposition(disposition).build();
        }

        private static String destination(Random random) {
            int roll = random.nextInt(100);
            if (roll < 60) {
                return nanp(random);
            }
            if (roll < 70) {
                return "+4420" + (7 + random.nextInt(2)) + digits(random, 7);
            }
            if (roll < 80) {
                return "+447" + (4 + random.nextInt(6)) + digits(random, 8);
            }
            if (roll < 88) {
                return "+1876" + (2 + random.nextInt(8)) + digits(random, 6);
            }
            if (roll < 95) {
                return "+5255" + (1 + random.nextInt(9)) + digits(random, 7);
            }
            return "+8610" + (6 + random.nextInt(3)) + digits(random, 7);
        }

        private static String nanp(Random random) {
            return "+1" + List.of("212", "415", "312", "416").get(random.nextInt(4)) + (2 + random.nextInt(8))
                    + digits(random, 6);
        }

        private static MessageEvent message(Random random, String eventId) {
            String subAccount = SUB_ACCOUNTS.get(random.nextInt(SUB_ACCOUNTS.size()));
            int roll = random.nextInt(10);
            MessageChannel channel = roll < 6 ? MessageChannel.SMS : roll < 8 ? MessageChannel.MMS : MessageChannel.EMAIL;
            Direction direction = random.nextInt(10) < 7 ? Direction.OUTBOUND : Direction.INBOUND;
            String remote = channel == MessageChannel.EMAIL ? "client" + random.nextInt(50) + "@example.org"
                    : channel == MessageChannel.SMS && direction == Direction.OUTBOUND && random.nextInt(10) == 0
                    ? "+447" + (4 + random.nextInt(6)) + digits(random, 8) : nanp(random);
            String own = channel == MessageChannel.EMAIL ? subAccount + "@agency.example" : PLATFORM_NUMBER;
            // Bodies whose segment count is plain arithmetic: 'a' is GSM-7, the Cyrillic 'ж' forces UCS-2.
            String body = random.nextBoolean() ? "a".repeat(1 + random.nextInt(400))
                    : "\u0436".repeat(1 + random.nextInt(200));
            return MessageEvent.newBuilder().setEventId(eventId).setWorkspaceId(WORKSPACE_OF.get(subAccount))
                    .setSubAccountId(subAccount).setChannel(channel).setDirection(direction)
                    .setFromAddress(direction == Direction.OUTBOUND ? own : remote)
                    .setToAddress(direction == Direction.OUTBOUND ? remote : own)
                    .setBody(body).setTimestamp(START.plusSeconds(random.nextInt(10 * 24 * 3600))).build();
        }

        private static String digits(Random random, int count) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < count; i++) {
                out.append(random.nextInt(10));
            }
            return out.toString();
        }
    }

    // ---- the independent computation ----------------------------------------------------------------

    /** What the pipeline must end with, worked out from the traffic with BigDecimal and the written rules. */
    static final class Expected {
        /** Charge id of each record's final version to cost, price, billable (1/0). */
        final Map<String, List<Long>> charges = new TreeMap<>();
        final Map<String, Long> rejectedByReason = new TreeMap<>();
        final Map<String, Long> balances = new HashMap<>(DemoData.openingBalances());
        int corrections;

        static Expected compute(Traffic traffic) {
            Expected expected = new Expected();
            expected.rejectedByReason.putAll(traffic.badByReason);
            Map<String, CallDetailRecord> finalCdrs = new LinkedHashMap<>();
            Map<String, MessageEvent> messages = new LinkedHashMap<>();
            for (Sent sent : traffic.sends) {
                if (sent instanceof Sent.Cdr c && isUnrated(c.cdr())) {
                    // Rejections are not remembered (so a fixed record can be replayed): each delivery is one.
                    expected.rejectedByReason.merge("NO_RATE", 1L, Long::sum);
                }
                if (sent instanceof Sent.Cdr c && c.cdr().getCdrId().startsWith("c-")) {
                    CallDetailRecord previous = finalCdrs.get(c.cdr().getCdrId());
                    if (previous == null || c.cdr().getVersion() > previous.getVersion()) {
                        if (previous != null && expected.costOf(previous).isPresent()) {
                            expected.corrections++;
                        }
                        finalCdrs.put(c.cdr().getCdrId(), c.cdr());
                    }
                } else if (sent instanceof Sent.Message m) {
                    messages.putIfAbsent(m.event().getEventId(), m.event());
                }
            }
            finalCdrs.values().forEach(expected::addCall);
            messages.values().forEach(expected::addMessage);
            return expected;
        }

        private static boolean isUnrated(CallDetailRecord cdr) {
            return cdr.getCdrId().startsWith("c-") && Traffic.isChina(cdr)
                    && cdr.getDisposition() == CallDisposition.ANSWERED && cdr.getBillableSeconds() > 0;
        }

        private void addCall(CallDetailRecord cdr) {
            costOf(cdr).ifPresent(cost -> {
                UsageType type = cdr.getService() == CallService.VOICE_AI ? UsageType.VOICE_AI : UsageType.VOICE;
                add(ChargeIds.forCdr(cdr.getCarrierId(), cdr.getCdrId(), cdr.getVersion()), cdr.getWorkspaceId(),
                        cdr.getSubAccountId(), type, cost, true);
            });
        }

        /** The platform cost of an answered call: billed seconds at the rate in force, half-up, plus fees. */
        Optional<BigDecimal> costOf(CallDetailRecord cdr) {
            if (cdr.getDisposition() != CallDisposition.ANSWERED || cdr.getBillableSeconds() == 0 || Traffic.isChina(cdr)) {
                return Optional.empty();
            }
            UsageType type = cdr.getService() == CallService.VOICE_AI ? UsageType.VOICE_AI : UsageType.VOICE;
            RateCardEntry rate = rateFor(type, cdr.getDirection(), cdr.getToNumber().substring(1), cdr.getStartTime());
            long counted = Math.max(cdr.getBillableSeconds(), rate.getMinimumBillableSeconds());
            long first = rate.getFirstIncrementSeconds();
            long next = rate.getNextIncrementSeconds();
            long billed = counted <= first ? first : first + (counted - first + next - 1) / next * next;
            return Optional.of(BigDecimal.valueOf(billed).multiply(BigDecimal.valueOf(rate.getUnitPriceMicros()))
                    .divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
                    .add(BigDecimal.valueOf(rate.getConnectFeeMicros())));
        }

        private void addMessage(MessageEvent event) {
            String id = ChargeIds.forMessage(event.getEventId());
            switch (event.getChannel()) {
                case SMS -> {
                    int length = event.getBody().length();
                    boolean gsm = event.getBody().charAt(0) == 'a';
                    long segments = gsm ? (length <= 160 ? 1 : (length + 152) / 153) : (length <= 70 ? 1 : (length + 66) / 67);
                    RateCardEntry rate = rateFor(UsageType.SMS, event.getDirection(),
                            event.getToAddress().substring(1), event.getTimestamp());
                    add(id, event.getWorkspaceId(), event.getSubAccountId(), UsageType.SMS,
                            BigDecimal.valueOf(segments * rate.getUnitPriceMicros()), true);
                }
                case MMS -> add(id, event.getWorkspaceId(), event.getSubAccountId(), UsageType.MMS,
                        BigDecimal.valueOf(rateFor(UsageType.MMS, event.getDirection(), event.getToAddress().substring(1),
                                event.getTimestamp()).getUnitPriceMicros()), true);
                case EMAIL -> {
                    if (event.getDirection() == Direction.INBOUND) {
                        add(id, event.getWorkspaceId(), event.getSubAccountId(), UsageType.EMAIL, BigDecimal.ZERO, false);
                    } else {
                        add(id, event.getWorkspaceId(), event.getSubAccountId(), UsageType.EMAIL,
                                BigDecimal.valueOf(675), true);
                    }
                }
                default -> throw new IllegalStateException("unexpected channel " + event.getChannel());
            }
        }

        private void add(String chargeId, String workspace, String subAccount, UsageType type, BigDecimal cost,
                         boolean billable) {
            BigDecimal price = BigDecimal.ZERO;
            RebillingSettings settings = settingsFor(workspace, subAccount);
            if (billable && settings.getRebillingEnabled()) {
                RebillingSettings tier = settingsFor(workspace, null);
                int basisPoints = !tier.getMarkupAllowed() || !settings.getMarkupAllowed() ? 10_500 : switch (type) {
                    case VOICE -> settings.getVoiceMultiplierBasisPoints();
                    case VOICE_AI -> settings.getVoiceAiMultiplierBasisPoints();
                    case SMS -> settings.getSmsMultiplierBasisPoints();
                    case MMS -> settings.getMmsMultiplierBasisPoints();
                    case EMAIL -> settings.getEmailMultiplierBasisPoints();
                    default -> throw new IllegalStateException("unexpected " + type);
                };
                price = cost.multiply(BigDecimal.valueOf(basisPoints)).divide(BigDecimal.valueOf(10_000), 0,
                        RoundingMode.HALF_UP);
            }
            charges.put(chargeId, List.of(cost.longValueExact(), price.longValueExact(), billable ? 1L : 0L));
            if (cost.signum() > 0) {
                balances.merge(WalletIds.workspace(workspace), -cost.longValueExact(), Long::sum);
            }
            if (price.signum() > 0) {
                balances.merge(WalletIds.subAccount(workspace, subAccount), -price.longValueExact(), Long::sum);
            }
        }

        private static RebillingSettings settingsFor(String workspace, String subAccount) {
            List<RebillingSettings> all = DemoData.rebillingSettings();
            Optional<RebillingSettings> own = all.stream().filter(s -> workspace.equals(s.getWorkspaceId())
                    && subAccount != null && subAccount.equals(s.getSubAccountId())).findFirst();
            return own.orElseGet(() -> all.stream()
                    .filter(s -> workspace.equals(s.getWorkspaceId()) && s.getSubAccountId() == null)
                    .findFirst().orElseThrow());
        }

        private static RateCardEntry rateFor(UsageType type, Direction direction, String digits, Instant at) {
            List<RateCardEntry> card = new ArrayList<>(DemoData.rateCard());
            card.addAll(MESSAGE_RATES);
            return card.stream()
                    .filter(e -> e.getUsageType() == type && e.getDirection() == direction)
                    .filter(e -> digits.startsWith(e.getDestinationPrefix()) && !e.getValidFrom().isAfter(at))
                    .max(Comparator.<RateCardEntry>comparingInt(e -> e.getDestinationPrefix().length())
                            .thenComparing(RateCardEntry::getValidFrom))
                    .orElseThrow(() -> new IllegalStateException("the test expects a rate for " + type + " "
                            + direction + " +" + digits));
        }
    }

    private static RateCardEntry perUnit(String id, UsageType type, Direction direction, String prefix, long micros) {
        return RateCardEntry.newBuilder().setRateId(id).setVersion(1).setUsageType(type).setDirection(direction)
                .setDestinationPrefix(prefix).setCurrency("USD").setUnitPriceMicros(micros)
                .setValidFrom(DemoData.RATES_VALID_FROM).build();
    }
}
