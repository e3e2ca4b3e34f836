package io.rebill.cli.demo;

import io.rebill.schemas.usage.CallDetailRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the demo's 10,000 sample CDRs (seeded, so the shipped file can be checked against it)
 * with {@link CdrGenerator}, which {@code rebill produce cdrs} uses too.
 * Run {@code main} to regenerate {@code cli/src/main/resources/demo/cdrs.csv}.
 */
final class DemoCdrGenerator {

    static final int COUNT = 10_000;
    private static final long SEED = 20261122L;
    private static final Instant PERIOD_START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(21);

    private DemoCdrGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "cli/src/main/resources/demo/cdrs.csv");
        Files.writeString(target, generate(), StandardCharsets.UTF_8);
    }

    static String generate() {
        CdrGenerator generator = new CdrGenerator(SEED, CdrGenerator.demoCallers(), PERIOD_START, PERIOD,
                "cdr-%06d", "call-%06d");
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            printer.printRecord(io.rebill.cli.csv.CdrCsvReader.COLUMNS);
            for (int i = 1; i <= COUNT; i++) {
                printer.printRecord(row(generator.next()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<Object> row(CallDetailRecord cdr) {
        return List.of(cdr.getCarrierId(), cdr.getCdrId(), cdr.getVersion(), cdr.getWorkspaceId(),
                cdr.getSubAccountId(), cdr.getCallId(), cdr.getService().name(), cdr.getDirection().name(),
                cdr.getFromNumber(), cdr.getToNumber(), cdr.getStartTime().toString(),
                cdr.getAnswerTime() == null ? "" : cdr.getAnswerTime().toString(), cdr.getEndTime().toString(),
                cdr.getBillableSeconds(), cdr.getDisposition().name());
    }
}
