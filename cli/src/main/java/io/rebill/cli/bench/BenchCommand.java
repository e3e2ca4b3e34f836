package io.rebill.cli.bench;

import io.rebill.cli.UserException;
import io.rebill.cli.stack.LocalStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill bench}: end-to-end throughput, latency and memory of the whole pipeline on its own
 * local stack, against a passthrough topology on the same broker and data, as a Markdown report.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the whole pipeline on a fresh local stack of its own (free ports).",
                "Pre-produces CDRs and SMS, times a passthrough Kafka Streams topology over them as a baseline, "
                        + "then metering-stream and wallet-stream over the same data, then latencies at a fixed "
                        + "rate, and writes a Markdown report."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--count", defaultValue = "1000000", description = "Records to pre-produce, CDRs and SMS together (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--messages-ratio", defaultValue = "0.2", description = "Share of the records that are SMS, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double messagesRatio;

    @Option(names = "--agency-sub-accounts", defaultValue = "1000", description = "Sub-accounts of a re-billed "
            + "workspace, bench-agency, that call next to the demo's five: a few large clients and a long tail "
            + "(default: ${DEFAULT-VALUE}).")
    int agencySubAccounts;

    @Option(names = "--commit-interval-ms", description = "commit.interval.ms of the pipeline's and the baseline's "
            + "Kafka Streams applications (default: Kafka Streams' own, 100 ms under exactly-once): shorter lowers "
            + "latency, longer raises throughput.")
    Long commitIntervalMs;

    @Option(names = "--data-dir", description = "Where the stack keeps its data (default: a temporary folder, wiped after).")
    Path dataDir;

    @Option(names = "--report", defaultValue = "bench-report.md", description = "Markdown report file (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--latency-rate", defaultValue = "10000", description = "CDRs per second in the latency phase (default: ${DEFAULT-VALUE}).")
    double latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "Length of the latency phase in seconds (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--skip-baseline", description = "Do not run the passthrough baseline.")
    boolean skipBaseline;

    /** Checks the options before anything starts. */
    void validate() {
        if (count < 1) {
            throw new UserException("--count must be at least 1, was " + count);
        }
        if (count > Integer.MAX_VALUE) {
            throw new UserException("--count must be at most " + Integer.MAX_VALUE + ", was " + count);
        }
        if (agencySubAccounts < 0 || agencySubAccounts > 100_000) {
            throw new UserException("--agency-sub-accounts must be between 0 and 100000, was " + agencySubAccounts);
        }
        if (commitIntervalMs != null && (commitIntervalMs < 1 || commitIntervalMs > 60_000)) {
            throw new UserException("--commit-interval-ms must be between 1 and 60000, was " + commitIntervalMs);
        }
        if (!(messagesRatio >= 0 && messagesRatio <= 1)) {
            throw new UserException("--messages-ratio must be between 0 and 1, was " + messagesRatio);
        }
        if (!(latencyRate > 0) || latencyRate > 1_000_000) {
            throw new UserException("--latency-rate must be above 0 and at most 1000000, was " + latencyRate);
        }
        if (latencySeconds < 1 || latencySeconds > 3600) {
            throw new UserException("--latency-seconds must be between 1 and 3600, was " + latencySeconds);
        }
        if ((long) Math.ceil(latencyRate * latencySeconds) > 50_000_000L) {
            throw new UserException("--latency-rate × --latency-seconds must be at most 50,000,000 CDRs");
        }
    }

    /** The SMS among {@code count} records. */
    long messages() {
        return Math.round(count * messagesRatio);
    }

    /**
     * Sub-accounts whose access the latency phase flips: one per 200 latency CDRs, 1 to 100 (they share
     * one workspace, whose wallet state grows with each).
     */
    int flipAccounts() {
        return (int) Math.max(1, Math.min(100, Math.round(latencyRate * latencySeconds / 200)));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("rebill-bench-") : dataDir;
        if (!temporary && Files.exists(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UserException("--data-dir " + dir + " is not empty; the bench needs a fresh stack");
                }
            }
        }
        Instant date = Instant.now();
        long cdrs = count - messages();
        try (MemorySampler memory = new MemorySampler();
             LocalStack stack = new LocalStack(LocalStack.Settings.withFreePorts(dir))) {
            out.println("Starting a local stack in " + dir);
            out.flush();
            if (commitIntervalMs != null) {
                stack.overrideStreamsConfig(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs.toString());
            }
            stack.startInfrastructure();
            BenchRunner runner = new BenchRunner(stack, out, agencySubAccounts);
            runner.publishReferenceData(flipAccounts());

            out.printf(Locale.ROOT, "Pre-producing %,d CDRs and %,d SMS%n", cdrs, messages());
            out.flush();
            BenchRunner.Preproduced produced = runner.preProduce(cdrs, messages());
            out.printf(Locale.ROOT, "  %.1f s%n", produced.seconds());

            BenchRunner.Timed baseline = new BenchRunner.Timed(Double.NaN, Double.NaN);
            if (!skipBaseline) {
                out.println("Passthrough baseline");
                out.flush();
                baseline = runner.passthrough(produced.nextOffsets());
                out.printf(Locale.ROOT, "  %.1f s (%.1f s start-up)%n", baseline.seconds(), baseline.startupSeconds());
            }

            out.println("Full pipeline");
            out.flush();
            BenchRunner.Timed pipeline = runner.pipeline(produced.nextOffsets());
            out.printf(Locale.ROOT, "  %.1f s (%.1f s start-up)%n", pipeline.seconds(), pipeline.startupSeconds());
            long liveHeap = memory.liveHeapBytes();

            out.printf(Locale.ROOT, "Latency: %s CDRs/s for %d s%n", BenchReport.number(latencyRate), latencySeconds);
            out.flush();
            BenchRunner.Latency latency = runner.latency(latencyRate, latencySeconds, flipAccounts());

            BenchReport result = new BenchReport(date, Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory(), javaVersion(), cdrs, messages(), agencySubAccounts,
                    produced.seconds(),
                    baseline.seconds() - baseline.startupSeconds(), baseline.startupSeconds(),
                    pipeline.seconds() - pipeline.startupSeconds(), pipeline.startupSeconds(), latencyRate, latency.achievedRate(), latency.seconds(), latency.balance(),
                    latency.access(), memory.peakHeapBytes(), liveHeap, MemorySampler.peakRssBytes(),
                    commitIntervalMs);
            String markdown = result.toMarkdown();
            write(report, markdown);
            out.println();
            out.print(markdown);
            out.println();
            out.println("Report written to " + report.toAbsolutePath());
            out.flush();
            return 0;
        } finally {
            if (temporary) {
                LocalStack.wipe(dir);
            }
        }
    }

    private static String javaVersion() {
        return System.getProperty("java.version") + " (" + ManagementFactory.getRuntimeMXBean().getVmName() + ")";
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the report " + file, e);
        }
    }
}
