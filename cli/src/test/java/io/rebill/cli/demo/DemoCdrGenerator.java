package io.rebill.cli.demo;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the demo's 10,000 sample CDRs (seeded, so the shipped file can be checked against it).
 * Run {@code main} to regenerate {@code cli/src/main/resources/demo/cdrs.csv}.
 */
final class DemoCdrGenerator {

    static final int COUNT = 10_000;
    private static final long SEED = 20261122L;
    private static final Instant PERIOD_START = Instant.parse("2026-11-01T00:00:00Z");
    private static final long PERIOD_SECONDS = 21L * 24 * 3600;
    private static final Map<String, Integer> CALL_WEIGHTS = Map.of("acme-dental", 25, "acme-law", 20,
            "acme-gym", 15, "nova-cafe", 22, "nova-salon", 18);
    private static final List<String> US_AREA_CODES = List.of("212", "415", "312", "617", "202", "305", "713");
    private static final List<String> CA_AREA_CODES = List.of("416", "604", "514");

    private DemoCdrGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "cli/src/main/resources/demo/cdrs.csv");
        Files.writeString(target, generate(), StandardCharsets.UTF_8);
    }

    static String generate() {
        SplittableRandom random = new SplittableRandom(SEED);
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            printer.printRecord(io.rebill.cli.csv.CdrCsvReader.COLUMNS);
            for (int i = 1; i <= COUNT; i++) {
                printer.printRecord(row(i, random));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<Object> row(int n, SplittableRandom random) {
        String subAccount = pickSubAccount(random);
        String workspace = subAccount.startsWith("acme") ? DemoData.ACME : DemoData.NOVA;
        String service = random.nextInt(100) < 70 ? "VOICE" : "VOICE_AI";
        String direction = random.nextInt(100) < 60 ? "OUTBOUND" : "INBOUND";
        String platformNumber = "+1" + "415" + "767" + String.format("%04d", 100 + CALL_WEIGHTS.keySet().stream()
                .sorted().toList().indexOf(subAccount));
        String remote = service.equals("VOICE") && direction.equals("OUTBOUND") ? voiceDestination(random)
                : northAmerican(random);
        String from = direction.equals("OUTBOUND") ? platformNumber : remote;
        String to = direction.equals("OUTBOUND") ? remote : platformNumber;

        int roll = random.nextInt(100);
        String disposition = roll < 78 ? "ANSWERED" : roll < 88 ? "NO_ANSWER" : roll < 94 ? "BUSY" : "FAILED";
        Instant start = PERIOD_START.plusSeconds(random.nextLong(PERIOD_SECONDS));
        int billable = disposition.equals("ANSWERED") ? duration(random) : 0;
        Instant answer = disposition.equals("ANSWERED") ? start.plusSeconds(3 + random.nextInt(18)) : null;
        Instant end = answer != null ? answer.plusSeconds(billable) : start.plusSeconds(5 + random.nextInt(40));
        String carrier = random.nextBoolean() ? "carrier-a" : "carrier-b";
        return List.of(carrier, String.format("cdr-%06d", n), 1, workspace, subAccount,
                String.format("call-%06d", n), service, direction, from, to, start.toString(),
                answer == null ? "" : answer.toString(), end.toString(), billable, disposition);
    }

    private static String pickSubAccount(SplittableRandom random) {
        int roll = random.nextInt(100);
        for (String subAccount : CALL_WEIGHTS.keySet().stream().sorted().toList()) {
            roll -= CALL_WEIGHTS.get(subAccount);
            if (roll < 0) {
                return subAccount;
            }
        }
        throw new IllegalStateException("weights do not add up to 100");
    }

    /** Human outbound calls: mostly US/Canada, some Jamaica, UK, Mexico, a few unrated China and malformed numbers. */
    private static String voiceDestination(SplittableRandom random) {
        int roll = random.nextInt(1000);
        if (roll < 700) {
            return northAmerican(random);
        }
        if (roll < 750) {
            return "+1876" + digits(random, 2, 9, 1) + digits(random, 0, 9, 6);
        }
        if (roll < 830) {
            return "+4420" + digits(random, 7, 8, 1) + digits(random, 0, 9, 7);
        }
        if (roll < 900) {
            return "+447" + digits(random, 4, 9, 1) + digits(random, 0, 9, 8);
        }
        if (roll < 970) {
            return "+5255" + digits(random, 1, 9, 1) + digits(random, 0, 9, 7);
        }
        if (roll < 990) {
            return "+8610" + digits(random, 6, 8, 1) + digits(random, 0, 9, 7);
        }
        return "+1" + digits(random, 0, 9, 4);
    }

    private static String northAmerican(SplittableRandom random) {
        List<String> areas = random.nextInt(10) < 8 ? US_AREA_CODES : CA_AREA_CODES;
        return "+1" + areas.get(random.nextInt(areas.size())) + digits(random, 2, 9, 1) + digits(random, 0, 9, 6);
    }

    /** Mostly short calls, some long ones, a few zero-second answers and very long ones. */
    private static int duration(SplittableRandom random) {
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

    private static String digits(SplittableRandom random, int min, int max, int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append(min + random.nextInt(max - min + 1));
        }
        return out.toString();
    }
}
