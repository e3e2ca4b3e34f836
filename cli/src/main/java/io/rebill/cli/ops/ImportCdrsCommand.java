package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import io.rebill.cli.csv.CdrCsvReader;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.schemas.usage.CallDetailRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rebill import cdrs FILE}: a carrier's CSV export into {@code metering.cdr.raw}, for
 * carriers that cannot publish to Kafka themselves. Every line is checked first; the report names
 * each bad line as {@code FILE:LINE: message}, the way compilers do, so editors can jump to it.
 */
@Command(name = "cdrs", mixinStandardHelpOptions = true,
        description = {"Read call detail records from a CSV file and produce them to metering.cdr.raw, "
                + "keyed by carrier and CDR id, then wait until Kafka has acknowledged every one.",
                "The first line must be a header naming the columns (in any order; other columns are ignored): "
                        + "carrier_id, cdr_id, version, workspace_id, sub_account_id, call_id, service, direction, "
                        + "from_number, to_number, start_time, answer_time, end_time, billable_seconds, disposition.",
                "Invalid lines are reported on stderr as FILE:LINE: message; the valid lines are still imported "
                        + "unless --strict is given.",
                "Importing the same file again is safe: the pipeline charges each CDR version once."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every line was valid (and was imported, unless --dry-run)",
                "1:some lines were invalid; the valid ones were imported unless --strict or --dry-run",
                "2:the file cannot be read, or Kafka or the schema registry cannot be reached"})
public final class ImportCdrsCommand implements Callable<Integer> {

    /** Enough to see what is wrong without burying the summary. */
    static final int MAX_REPORTED_ERRORS = 50;

    private final CdrSink.Opener sinks;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "FILE", description = "The CSV file (UTF-8).")
    Path file;

    @Option(names = "--dry-run", description = "Only check the file and report bad lines; produce nothing.")
    boolean dryRun;

    @Option(names = "--strict", description = "Import nothing if any line is invalid.")
    boolean strict;

    @Spec
    CommandSpec spec;

    public ImportCdrsCommand() {
        this(KafkaCdrSink::open);
    }

    /** With another sink, for tests that check what would be produced without a broker. */
    public ImportCdrsCommand(CdrSink.Opener sinks) {
        this.sinks = sinks;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CdrCsvReader.Result result = read();
        report(result.errors(), err);
        List<CallDetailRecord> records = result.records();
        int rejected = result.errors().size();
        String rejectedLines = Counts.of(rejected, "line") + " rejected";
        if (dryRun) {
            out.println("dry run: " + Counts.of(records.size(), "valid CDR") + " in " + file + "; " + rejectedLines
                    + "; nothing imported");
        } else if (strict && rejected > 0) {
            out.println("imported 0 CDRs from " + file + "; " + rejectedLines
                    + " (--strict: nothing is imported while any line is invalid)");
        } else {
            produce(records);
            out.println("imported " + Counts.of(records.size(), "CDR") + " from " + file + "; " + rejectedLines);
        }
        out.flush();
        return rejected == 0 ? 0 : 1;
    }

    private CdrCsvReader.Result read() {
        if (!Files.exists(file)) {
            throw new UserException("No such file: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new UserException(file + " is a folder; give the CSV file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CdrCsvReader.read(reader);
        } catch (AccessDeniedException e) {
            throw new UserException("Cannot read " + file + ": permission denied", e);
        } catch (CharacterCodingException e) {
            throw new UserException(file + " is not UTF-8 text; save the export as UTF-8 CSV", e);
        } catch (IOException e) {
            throw new UserException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void report(List<CdrCsvReader.LineError> errors, PrintWriter err) {
        errors.stream().limit(MAX_REPORTED_ERRORS)
                .forEach(e -> err.println(file + ":" + e.line() + ": " + e.message()));
        if (errors.size() > MAX_REPORTED_ERRORS) {
            err.println("... and " + (errors.size() - MAX_REPORTED_ERRORS) + " more");
        }
        err.flush();
    }

    private void produce(List<CallDetailRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try (CdrSink sink = sinks.open(kafka)) {
            // Every version of a CDR under one key: one partition, so versions stay in order for de-duplication.
            records.forEach(cdr -> sink.send(ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr));
            sink.flush();
        }
    }
}
