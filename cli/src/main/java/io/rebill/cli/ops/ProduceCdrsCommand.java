package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import io.rebill.cli.demo.CdrGenerator;
import io.rebill.cli.demo.DemoData;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.schemas.usage.CallDetailRecord;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill produce cdrs}: a load generator. Produces realistic CDRs of the demo's
 * sub-accounts (or others named) to {@code metering.cdr.raw} at a target rate, keyed like
 * carriers key them, and reports what Kafka acknowledged.
 */
@Command(name = "cdrs", mixinStandardHelpOptions = true,
        description = {"Produce generated, realistic CDRs to metering.cdr.raw at a target rate.",
                "Each is keyed by carrier and CDR id like a carrier's; the command ends once Kafka has "
                        + "acknowledged every one.",
                "The calls are the demo's: its sub-accounts, weighted as in the demo; human and voice-AI calls, "
                        + "in and out, mostly to destinations the demo's rate card prices, a few it does not "
                        + "(rejected as NO_RATE or INVALID_NUMBER); 22%% not answered. They start within the 24 hours "
                        + "from --since.",
                "The same --seed and --since produce the same CDRs with the same ids, so the pipeline charges "
                        + "them once however often they are produced. Without --seed a random one is used and printed.",
                "Progress goes to stderr: a bar when attached to a terminal or given --progress, otherwise a line "
                        + "every 5 s (none with --no-progress). A summary goes to stdout at the end."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every CDR was acknowledged by Kafka",
                "1:some CDRs were not acknowledged (the summary counts them and gives the first reason)",
                "2:an argument is invalid, or Kafka or the schema registry cannot be reached"})
public final class ProduceCdrsCommand implements Callable<Integer> {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    /** The longest single sleep, so the progress keeps moving at low rates. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    private final CdrLoadSink.Opener sinks;
    private final Clock clock;
    private final Ticker ticker;
    private final BooleanSupplier terminal;
    private final LongSupplier randomSeeds;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--count", defaultValue = "1000", paramLabel = "N",
            description = "How many CDRs to produce (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--rate", defaultValue = "100", paramLabel = "R",
            description = "Target records per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--workspaces", split = ",", paramLabel = "WS[/SA]",
            description = {"Whose calls, comma-separated: a demo workspace (" + DemoData.ACME + ", " + DemoData.NOVA
                    + ") for all its sub-accounts, or WORKSPACE/SUB_ACCOUNT for one sub-account of any workspace.",
                    "Default: every demo sub-account."})
    List<String> workspaces;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the generator, to produce the same CDRs again.")
    Long seed;

    @Option(names = "--since", paramLabel = "INSTANT",
            description = {"Calls start within the 24 hours from this ISO-8601 instant.",
                    "Default: the start of yesterday (UTC)."})
    String since;

    @Option(names = "--progress", negatable = true,
            description = "Show (or with --no-progress, hide) the progress bar on stderr. "
                    + "Default: a bar on a terminal, a line every 5 s otherwise.")
    Boolean progress;

    @Spec
    CommandSpec spec;

    public ProduceCdrsCommand() {
        this(CdrLoadSink::kafka, Clock.systemUTC(), Ticker.system(), () -> System.console() != null,
                () -> ThreadLocalRandom.current().nextLong(1, 1_000_000_000L));
    }

    /** With another sink, clock, time source and terminal check, for tests without a broker. */
    public ProduceCdrsCommand(CdrLoadSink.Opener sinks, Clock clock, Ticker ticker, BooleanSupplier terminal,
                              LongSupplier randomSeeds) {
        this.sinks = sinks;
        this.clock = clock;
        this.ticker = ticker;
        this.terminal = terminal;
        this.randomSeeds = randomSeeds;
    }

    @Override
    public Integer call() {
        if (count < 1) {
            throw new UserException("--count must be at least 1, got " + count);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new UserException("--rate must be 0 (as fast as possible) or a number of records per second, got "
                    + spec.findOption("--rate").originalStringValues().stream().reduce((a, b) -> b).orElse("" + rate));
        }
        List<CdrGenerator.Caller> callers = callers();
        Instant start = since();
        long usedSeed = seed != null ? seed : randomSeeds.getAsLong();
        String runId = usedSeed + "-" + ID_TIME.format(start);
        CdrGenerator generator = new CdrGenerator(usedSeed, callers, start, Duration.ofDays(1),
                "load-" + runId + "-%06d", "call-" + runId + "-%06d");

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Run run = new Run();
        try (CdrLoadSink sink = sinks.open(kafka)) {
            run.startNanos = ticker.nanoTime();
            LoadProgress bar = new LoadProgress(progressMode(), err, "produce cdrs", count, run.startNanos);
            Thread onCtrlC = new Thread(() -> err.printf("%nrebill: interrupted: %s%n", run.counts(ticker.nanoTime())));
            addShutdownHook(onCtrlC);
            try {
                produce(generator, sink, run, bar);
                sink.flush();
            } finally {
                removeShutdownHook(onCtrlC);
            }
            run.endNanos = ticker.nanoTime();
            bar.finish(run.endNanos, run.sent, run.acknowledged.get(), run.errors());
        }
        summary(out, run, usedSeed, start);
        return run.errors() == 0 && run.acknowledged.get() == count ? 0 : 1;
    }

    private void produce(CdrGenerator generator, CdrLoadSink sink, Run run, LoadProgress bar) {
        double intervalNanos = rate == 0 ? 0 : 1e9 / rate;
        for (long i = 0; i < count; i++) {
            if (intervalNanos > 0) {
                // Each record has its own slot from the start, so sleeping late never accumulates into drift.
                long due = run.startNanos + (long) (i * intervalNanos);
                for (long wait = due - ticker.nanoTime(); wait > 0; wait = due - ticker.nanoTime()) {
                    sleep(Math.min(wait, MAX_SLEEP_NANOS));
                    bar.update(ticker.nanoTime(), run.sent, run.acknowledged.get(), run.errors());
                }
            }
            CallDetailRecord cdr = generator.next();
            try {
                sink.send(ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr, run::acknowledged);
                run.sent++;
            } catch (RuntimeException e) {
                run.failed(e);
            }
            bar.update(ticker.nanoTime(), run.sent, run.acknowledged.get(), run.errors());
        }
    }

    private void sleep(long nanos) {
        try {
            ticker.sleepNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("Interrupted while producing", e);
        }
    }

    private void summary(PrintWriter out, Run run, long usedSeed, Instant start) {
        double seconds = (run.endNanos - run.startNanos) / 1e9;
        out.printf(Locale.ROOT, "sent          %,d of %,d CDRs to metering.cdr.raw%n", run.sent, count);
        out.printf(Locale.ROOT, "acknowledged  %,d%n", run.acknowledged.get());
        out.printf(Locale.ROOT, "errors        %,d%s%n", run.errors(),
                run.firstError.get() == null ? "" : " (first: " + run.firstError.get() + ")");
        out.printf(Locale.ROOT, "elapsed       %.2f s%n", seconds);
        out.printf(Locale.ROOT, "rate          %,.1f records/s (target: %s)%n", seconds > 0 ? run.sent / seconds : 0.0,
                rate == 0 ? "as fast as possible" : String.format(Locale.ROOT, "%s/s", plain(rate)));
        out.printf(Locale.ROOT, "seed          %d (--seed %d --since %s produces the same CDRs)%n", usedSeed, usedSeed,
                start);
        out.flush();
    }

    private List<CdrGenerator.Caller> callers() {
        if (workspaces == null || workspaces.isEmpty()) {
            return CdrGenerator.demoCallers();
        }
        List<CdrGenerator.Caller> callers = new ArrayList<>();
        for (String entry : new LinkedHashSet<>(workspaces)) {
            String trimmed = entry.trim();
            int slash = trimmed.indexOf('/');
            if (slash < 0) {
                List<CdrGenerator.Caller> demo = CdrGenerator.demoCallers(trimmed);
                if (demo.isEmpty()) {
                    throw new UserException("--workspaces: '" + trimmed + "' is not a demo workspace; give "
                            + String.join(", ", DemoData.workspaces().keySet())
                            + ", or WORKSPACE/SUB_ACCOUNT for any other");
                }
                callers.addAll(demo);
            } else {
                String workspace = trimmed.substring(0, slash);
                String subAccount = trimmed.substring(slash + 1);
                if (!workspace.matches(ID_PATTERN) || !subAccount.matches(ID_PATTERN)) {
                    throw new UserException("--workspaces: '" + trimmed + "' must be WORKSPACE/SUB_ACCOUNT, each 1-128 "
                            + "letters, digits, '.', '_' or '-', starting with a letter or digit");
                }
                callers.add(CdrGenerator.caller(workspace, subAccount));
            }
        }
        return callers.stream().distinct().toList();
    }

    private Instant since() {
        if (since == null) {
            return clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        }
        try {
            return Instant.parse(since.trim());
        } catch (DateTimeParseException e) {
            throw new UserException("--since '" + since + "' must be an ISO-8601 instant such as 2026-11-21T00:00:00Z");
        }
    }

    private LoadProgress.Mode progressMode() {
        if (progress != null) {
            return progress ? LoadProgress.Mode.BAR : LoadProgress.Mode.NONE;
        }
        return terminal.getAsBoolean() ? LoadProgress.Mode.BAR : LoadProgress.Mode.LINES;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static void addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: nothing to report to.
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down: the hook runs and reports.
        }
    }

    /** The counts of one run; acknowledgements arrive on the producer's thread. */
    private static final class Run {
        volatile long sent;
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong failedAcks = new AtomicLong();
        volatile long failedSends;
        final AtomicReference<String> firstError = new AtomicReference<>();
        volatile long startNanos;
        volatile long endNanos;

        void acknowledged(Exception failure) {
            if (failure == null) {
                acknowledged.incrementAndGet();
            } else {
                failedAcks.incrementAndGet();
                firstError.compareAndSet(null, message(failure));
            }
        }

        void failed(RuntimeException failure) {
            failedSends++;
            firstError.compareAndSet(null, message(failure));
        }

        long errors() {
            return failedSends + failedAcks.get();
        }

        String counts(long nowNanos) {
            return String.format(Locale.ROOT, "%,d sent, %,d acknowledged, %,d errors in %.1f s", sent,
                    acknowledged.get(), errors(), (nowNanos - startNanos) / 1e9);
        }

        private static String message(Exception e) {
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
    }
}
