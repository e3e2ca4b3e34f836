package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.csv.CdrCsvReader;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.schemas.usage.CallDetailRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCdrsCommandTest {

    private static final String HEADER = String.join(",", CdrCsvReader.COLUMNS);

    @TempDir
    Path dir;

    private final FakeSink sink = new FakeSink();
    private boolean sinkOpened;

    @Test
    void shouldReportEveryBadLineAsFileLineMessageAndExit1WhenSomeLinesAreInvalid() throws Exception {
        Path file = csv(valid("c-1"), valid("c-2").replace(",VOICE,", ",FAX,"), valid("c-3"),
                valid("c-4").replace(",61,", ",sixty,"));

        CliRun run = run("import", "cdrs", file.toString(), "--dry-run");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.err.lines()).containsExactly(
                file + ":3: service 'FAX' is not one of [VOICE, VOICE_AI]",
                file + ":5: billable_seconds 'sixty' is not a whole number");
        assertThat(run.out).isEqualTo("dry run: 2 valid CDRs in " + file + "; 2 lines rejected; nothing imported\n");
        assertThat(sinkOpened).isFalse();
    }

    @Test
    void shouldProduceEveryValidLineUnderItsCdrKeyWhenSomeLinesAreInvalid() throws Exception {
        Path file = csv(valid("c-1"), "not,a,cdr", valid("c:3"));

        CliRun run = run("import", "cdrs", file.toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.out).isEqualTo("imported 2 CDRs from " + file + "; 1 line rejected\n");
        assertThat(run.err).startsWith(file + ":3: expected 15 fields as in the header, found 3");
        assertThat(sink.keys).containsExactly(ChargeIds.cdrKey("carrier-it", "c-1"), ChargeIds.cdrKey("carrier-it", "c:3"))
                .contains("carrier-it:c%3A3");
        assertThat(sink.flushedAfterLastSend).isTrue();
        assertThat(sink.closed).isTrue();
    }

    @Test
    void shouldExit0AndReportNothingOnStderrWhenEveryLineIsValid() throws Exception {
        Path file = csv(valid("c-1"));

        CliRun run = run("import", "cdrs", file.toString());

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).isEqualTo("imported 1 CDR from " + file + "; 0 lines rejected\n");
        assertThat(run.err).isEmpty();
        assertThat(sink.records).singleElement().satisfies(cdr -> {
            assertThat(cdr.getCdrId()).isEqualTo("c-1");
            assertThat(cdr.getBillableSeconds()).isEqualTo(61);
        });
    }

    @Test
    void shouldImportNothingWhenStrictAndAnyLineIsInvalid() throws Exception {
        Path file = csv(valid("c-1"), valid("c-2").replace("+12124567890", ""));

        CliRun run = run("import", "cdrs", file.toString(), "--strict");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.err).isEqualTo(file + ":3: to_number is empty\n");
        assertThat(run.out).startsWith("imported 0 CDRs from " + file + "; 1 line rejected (--strict");
        assertThat(sinkOpened).isFalse();
    }

    @Test
    void shouldImportEverythingWhenStrictAndEveryLineIsValid() throws Exception {
        Path file = csv(valid("c-1"), valid("c-2"));

        CliRun run = run("import", "cdrs", file.toString(), "--strict");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(sink.keys).hasSize(2);
    }

    @Test
    void shouldListFiftyBadLinesThenCountTheRestWhenManyLinesAreInvalid() throws Exception {
        String[] lines = IntStream.rangeClosed(1, 60).mapToObj(i -> valid("c-" + i).replace(",1,", ",one,"))
                .toArray(String[]::new);
        Path file = csv(lines);

        CliRun run = run("import", "cdrs", file.toString(), "--dry-run");

        assertThat(run.exitCode).isEqualTo(1);
        List<String> reported = run.err.lines().toList();
        assertThat(reported).hasSize(51);
        assertThat(reported.get(0)).isEqualTo(file + ":2: version 'one' is not a whole number");
        assertThat(reported.get(49)).startsWith(file + ":51: ");
        assertThat(reported.get(50)).isEqualTo("... and 10 more");
        assertThat(run.out).contains("60 lines rejected");
    }

    @Test
    void shouldExit2WhenTheFileIsMissing() {
        Path missing = dir.resolve("nope.csv");

        CliRun run = run("import", "cdrs", missing.toString());

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: No such file: " + missing + "\n");
        assertThat(sinkOpened).isFalse();
    }

    @Test
    void shouldExit2WhenTheFileIsNotUtf8() throws Exception {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, (HEADER + "\n" + valid("caf\u00e9") + "\n").getBytes(StandardCharsets.ISO_8859_1));

        CliRun run = run("import", "cdrs", file.toString(), "--dry-run");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).startsWith("rebill: " + file + " is not UTF-8 text").doesNotContain("\tat ");
    }

    @Test
    void shouldExit2WithTheClearMessageWithinSecondsWhenKafkaIsUnreachable() throws Exception {
        Path file = csv(valid("c-1"));
        int port = CliRun.closedPort();

        long start = System.nanoTime();
        CliRun run = CliRun.of("import", "cdrs", file.toString(), "--bootstrap-servers", "127.0.0.1:" + port);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: Kafka at 127.0.0.1:" + port
                + " is not reachable; is `rebill up` running?\n");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void shouldExplainColumnsOptionsAndExitCodesInHelp() {
        CliRun run = CliRun.of("import", "cdrs", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill import cdrs").contains("FILE").contains("--dry-run")
                .contains("--strict").contains("--bootstrap-servers=HOST:PORT").contains("--registry-url=URL")
                .contains("Default: 127.0.0.1:9092").contains("billable_seconds").contains("Exit codes:");
    }

    private CliRun run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ImportCdrsCommand.class) {
                    return type.cast(new ImportCdrsCommand(this::open));
                }
                return CommandLine.defaultFactory().create(type);
            }

            private CdrSink open(KafkaOptions kafka) {
                sinkOpened = true;
                return sink;
            }
        };
        return CliRun.with(factory, args);
    }

    private Path csv(String... lines) throws Exception {
        Path file = dir.resolve("cdrs.csv");
        Files.writeString(file, HEADER + "\n" + String.join("\n", lines) + "\n");
        return file;
    }

    /** A valid answered 61 s outbound call. */
    private static String valid(String cdrId) {
        return String.join(",", "carrier-it", cdrId, "1", "acme-agency", "acme-dental", "call-" + cdrId, "VOICE",
                "OUTBOUND", "+14157670100", "+12124567890", "2026-11-10T10:00:00Z", "2026-11-10T10:00:04Z",
                "2026-11-10T10:01:05Z", "61", "ANSWERED");
    }

    /** Remembers what the command produced, and whether it waited for acknowledgement afterwards. */
    private static final class FakeSink implements CdrSink {
        final List<String> keys = new ArrayList<>();
        final List<CallDetailRecord> records = new ArrayList<>();
        boolean flushedAfterLastSend;
        boolean closed;

        @Override
        public void send(String key, CallDetailRecord cdr) {
            keys.add(key);
            records.add(cdr);
            flushedAfterLastSend = false;
        }

        @Override
        public void flush() {
            flushedAfterLastSend = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
