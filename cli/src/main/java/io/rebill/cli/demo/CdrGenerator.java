package io.rebill.cli.demo;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic, seeded call detail records of the demo's world: who calls (weighted sub-accounts),
 * human and voice-AI calls, in and out, destinations the demo's rate card mostly prices (US/Canada,
 * Jamaica, UK landline and mobile, Mexico) with a few it does not (China) and malformed numbers,
 * dispositions and call lengths as a carrier sees them. The same seed, callers and period give the
 * same records in the same order: the demo's {@code cdrs.csv} and {@code rebill produce cdrs} both
 * come from here.
 */
public final class CdrGenerator {

    /**
     * A sub-account that places calls.
     *
     * @param weight how often it calls, relative to the other callers
     */
    public record Caller(String workspaceId, String subAccountId, int weight) {

        public Caller {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1, was " + weight);
            }
        }
    }

    /** How often each demo sub-account calls, in percent. */
    private static final Map<String, Integer> DEMO_WEIGHTS = Map.of("acme-dental", 25, "acme-law", 20,
            "acme-gym", 15, "nova-cafe", 22, "nova-salon", 18);
    /** Calls of a sub-account the demo does not know, relative to the demo's percentages. */
    public static final int DEFAULT_WEIGHT = 20;

    private static final List<String> US_AREA_CODES = List.of("212", "415", "312", "617", "202", "305", "713");
    private static final List<String> CA_AREA_CODES = List.of("416", "604", "514");

    private final SplittableRandom random;
    private final List<Caller> callers;
    private final int totalWeight;
    private final Instant periodStart;
    private final long periodSeconds;
    private final String cdrIdFormat;
    private final String callIdFormat;
    private int generated;

    /**
     * @param callers who calls; sorted here by sub-account id, which also numbers their platform lines
     * @param periodStart calls start within {@code period} from here
     * @param cdrIdFormat the CDR id of the n-th record (from 1), a {@link String#format} pattern such as {@code cdr-%06d}
     * @param callIdFormat the call id likewise, such as {@code call-%06d}
     */
    public CdrGenerator(long seed, List<Caller> callers, Instant periodStart, Duration period, String cdrIdFormat,
                        String callIdFormat) {
        if (callers.isEmpty()) {
            throw new IllegalArgumentException("at least one caller is needed");
        }
        if (period.getSeconds() < 1) {
            throw new IllegalArgumentException("period must be at least a second, was " + period);
        }
        this.random = new SplittableRandom(seed);
        this.callers = callers.stream().sorted(Comparator.comparing(Caller::subAccountId)
                .thenComparing(Caller::workspaceId)).toList();
        this.totalWeight = callers.stream().mapToInt(Caller::weight).sum();
        this.periodStart = periodStart;
        this.periodSeconds = period.getSeconds();
        this.cdrIdFormat = cdrIdFormat;
        this.callIdFormat = callIdFormat;
    }

    /** Every sub-account of the demo, with how often it calls. */
    public static List<Caller> demoCallers() {
        List<Caller> callers = new ArrayList<>();
        DemoData.workspaces().keySet().forEach(workspace -> callers.addAll(demoCallers(workspace)));
        return callers;
    }

    /** The demo sub-accounts of one of its workspaces; none for a workspace the demo does not have. */
    public static List<Caller> demoCallers(String workspace) {
        return DemoData.workspaces().getOrDefault(workspace, List.of()).stream()
                .map(subAccount -> new Caller(workspace, subAccount, DEMO_WEIGHTS.getOrDefault(subAccount, DEFAULT_WEIGHT)))
                .toList();
    }

    /** A caller of any workspace: the demo's weight for a demo sub-account, else {@link #DEFAULT_WEIGHT}. */
    public static Caller caller(String workspace, String subAccount) {
        boolean demo = DemoData.workspaces().getOrDefault(workspace, List.of()).contains(subAccount);
        return new Caller(workspace, subAccount, demo ? DEMO_WEIGHTS.get(subAccount) : DEFAULT_WEIGHT);
    }

    /** The next record; the draws from the random source are in a fixed order, so a seed fixes the sequence. */
    public CallDetailRecord next() {
        int n = ++generated;
        int callerIndex = pickCaller();
        Caller caller = callers.get(callerIndex);
        CallService service = random.nextInt(100) < 70 ? CallService.VOICE : CallService.VOICE_AI;
        Direction direction = random.nextInt(100) < 60 ? Direction.OUTBOUND : Direction.INBOUND;
        String platformNumber = "+1" + "415" + "767" + String.format("%04d", 100 + callerIndex);
        String remote = service == CallService.VOICE && direction == Direction.OUTBOUND ? voiceDestination()
                : northAmerican();
        String from = direction == Direction.OUTBOUND ? platformNumber : remote;
        String to = direction == Direction.OUTBOUND ? remote : platformNumber;

        int roll = random.nextInt(100);
        CallDisposition disposition = roll < 78 ? CallDisposition.ANSWERED : roll < 88 ? CallDisposition.NO_ANSWER
                : roll < 94 ? CallDisposition.BUSY : CallDisposition.FAILED;
        boolean answered = disposition == CallDisposition.ANSWERED;
        Instant start = periodStart.plusSeconds(random.nextLong(periodSeconds));
        int billable = answered ? duration() : 0;
        Instant answer = answered ? start.plusSeconds(3 + random.nextInt(18)) : null;
        Instant end = answer != null ? answer.plusSeconds(billable) : start.plusSeconds(5 + random.nextInt(40));
        String carrier = random.nextBoolean() ? "carrier-a" : "carrier-b";
        return CallDetailRecord.newBuilder()
                .setCarrierId(carrier)
                .setCdrId(String.format(cdrIdFormat, n))
                .setVersion(1)
                .setWorkspaceId(caller.workspaceId())
                .setSubAccountId(caller.subAccountId())
                .setCallId(String.format(callIdFormat, n))
                .setService(service)
                .setDirection(direction)
                .setFromNumber(from)
                .setToNumber(to)
                .setStartTime(start)
                .setAnswerTime(answer)
                .setEndTime(end)
                .setBillableSeconds(billable)
                .setDisposition(disposition)
                .build();
    }

    private int pickCaller() {
        int roll = random.nextInt(totalWeight);
        for (int i = 0; i < callers.size(); i++) {
            roll -= callers.get(i).weight();
            if (roll < 0) {
                return i;
            }
        }
        throw new IllegalStateException("weights do not add up");
    }

    /** Human outbound calls: mostly US/Canada, some Jamaica, UK, Mexico, a few unrated China and malformed numbers. */
    private String voiceDestination() {
        int roll = random.nextInt(1000);
        if (roll < 700) {
            return northAmerican();
        }
        if (roll < 750) {
            return "+1876" + digits(2, 9, 1) + digits(0, 9, 6);
        }
        if (roll < 830) {
            return "+4420" + digits(7, 8, 1) + digits(0, 9, 7);
        }
        if (roll < 900) {
            return "+447" + digits(4, 9, 1) + digits(0, 9, 8);
        }
        if (roll < 970) {
            return "+5255" + digits(1, 9, 1) + digits(0, 9, 7);
        }
        if (roll < 990) {
            return "+8610" + digits(6, 8, 1) + digits(0, 9, 7);
        }
        return "+1" + digits(0, 9, 4);
    }

    private String northAmerican() {
        List<String> areas = random.nextInt(10) < 8 ? US_AREA_CODES : CA_AREA_CODES;
        return "+1" + areas.get(random.nextInt(areas.size())) + digits(2, 9, 1) + digits(0, 9, 6);
    }

    /** Mostly short calls, some long ones, a few zero-second answers and very long ones. */
    private int duration() {
        int roll = random.nextInt(100);
        if (roll < 3) {
            return 0;
        }
        if (roll < 63) {
            return 1 + random.nextInt(120);
        }
        if (roll < 93) {
            return 121 + random.nextInt(780);
        }
        if (roll < 99) {
            return 901 + random.nextInt(2700);
        }
        return 3601 + random.nextInt(10_800);
    }

    private String digits(int min, int max, int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append(min + random.nextInt(max - min + 1));
        }
        return out.toString();
    }
}
