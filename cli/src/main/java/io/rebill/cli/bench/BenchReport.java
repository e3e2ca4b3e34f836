package io.rebill.cli.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What one {@code rebill bench} run measured, and its Markdown rendering (the table the README
 * quotes). Rates are records per second; a figure not measured is NaN and shows as "skipped".
 *
 * @param baselineSeconds  the passthrough topology, from RUNNING to the last input offset committed
 * @param baselineStartupSeconds from its start to RUNNING, not counted in its throughput
 * @param pipelineSeconds  metering-stream + wallet-stream (+ billing-sink), from all RUNNING to the last input,
 *                         repartitioned record and charge committed
 * @param pipelineStartupSeconds from their start to all RUNNING, not counted in the throughput
 * @param liveHeapBytes    heap in use after a full collection, taken once the pipeline has charged every record
 * @param agencySubAccounts sub-accounts of the bench's own workspace, calling next to the demo's five
 * @param commitIntervalMs the stream applications' commit.interval.ms, null for Kafka Streams' default
 * @param peakRssBytes     -1 where not available
 */
public record BenchReport(Instant date, int cores, long maxHeapBytes, String javaVersion,
                          long cdrs, long messages, int agencySubAccounts,
                          double produceSeconds, double baselineSeconds, double baselineStartupSeconds,
                          double pipelineSeconds, double pipelineStartupSeconds,
                          double latencyTargetRate, double latencyAchievedRate, double latencySeconds,
                          Percentiles balanceLatency, Percentiles accessLatency,
                          long peakHeapBytes, long liveHeapBytes, long peakRssBytes, Long commitIntervalMs) {

    public static final double TARGET_RATIO = 0.6;
    public static final double TARGET_RATE = 50_000;
    public static final double TARGET_ACCESS_P99_MILLIS = 250;
    public static final double TARGET_ACCESS_RATE = 10_000;

    public long records() {
        return cdrs + messages;
    }

    public double produceRate() {
        return rate(produceSeconds);
    }

    public double baselineRate() {
        return rate(baselineSeconds);
    }

    public double pipelineRate() {
        return rate(pipelineSeconds);
    }

    public double ratio() {
        return pipelineRate() / baselineRate();
    }

    private double rate(double seconds) {
        return seconds > 0 ? records() / seconds : Double.NaN;
    }

    /** The report as Markdown: a heading line, the machine, and one table row per figure. */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Run on %s: %d cores, max heap %s, Java %s; %,d records "
                        + "(%,d CDRs + %,d SMS) from the demo's 5 sub-accounts and %,d of bench-agency, one "
                        + "in-process KRaft broker, exactly-once v2, commit.interval.ms %s.%n%n",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(date.atOffset(ZoneOffset.UTC).withNano(0)) + "Z",
                cores, mib(maxHeapBytes), javaVersion, records(), cdrs, messages, agencySubAccounts,
                commitIntervalMs == null ? "100 (the default)" : String.format(Locale.ROOT, "%,d", commitIntervalMs)));
        out.append("| Measure | Value | Target | Met |\n");
        out.append("|---|---|---|---|\n");
        row(out, "Records pre-produced", String.format(Locale.ROOT, "%,d in %.1f s (%s records/s)", records(),
                produceSeconds, number(produceRate())), "—", "—");
        row(out, "Passthrough baseline (bytes in, bytes out)", throughput(baselineRate(), baselineSeconds,
                baselineStartupSeconds), "—", "—");
        row(out, "Full pipeline end-to-end", throughput(pipelineRate(), pipelineSeconds, pipelineStartupSeconds),
                String.format(Locale.ROOT, "≥ %s records/s", number(TARGET_RATE)), met(pipelineRate() >= TARGET_RATE,
                        pipelineRate()));
        row(out, "Pipeline / baseline", Double.isNaN(ratio()) ? "skipped" : String.format(Locale.ROOT, "%.2f", ratio()),
                String.format(Locale.ROOT, "≥ %.1f", TARGET_RATIO), met(ratio() >= TARGET_RATIO, ratio()));
        row(out, "Latency phase load", String.format(Locale.ROOT, "%s CDRs/s for %.1f s (asked %s/s)",
                number(latencyAchievedRate), latencySeconds, number(latencyTargetRate)), "—", "—");
        row(out, "CDR produced → balance updated, p50 / p95 / p99", latency(balanceLatency), "—", "—");
        boolean atTargetLoad = latencyAchievedRate >= 0.95 * TARGET_ACCESS_RATE;
        row(out, "CDR produced → access status changed, p50 / p95 / p99", latency(accessLatency),
                String.format(Locale.ROOT, "p99 < %s ms at %s CDRs/s", number(TARGET_ACCESS_P99_MILLIS),
                        number(TARGET_ACCESS_RATE)),
                !atTargetLoad ? "not at target load" : met(accessLatency.p99Millis() < TARGET_ACCESS_P99_MILLIS,
                        accessLatency.p99Millis()));
        row(out, "Peak heap used (whole JVM: broker, services, bench)", mib(peakHeapBytes), "—", "—");
        row(out, "Live heap after the pipeline phase (after a full GC)", mib(liveHeapBytes),
                "flat from 1 M to 10 M records", "compare two runs");
        row(out, "Peak RSS (VmHWM)", peakRssBytes < 0 ? "not available" : mib(peakRssBytes), "—", "—");
        return out.toString();
    }

    private static void row(StringBuilder out, String measure, String value, String target, String met) {
        out.append("| ").append(measure).append(" | ").append(value).append(" | ").append(target).append(" | ")
                .append(met).append(" |\n");
    }

    private static String throughput(double rate, double seconds, double startupSeconds) {
        return Double.isNaN(rate) ? "skipped"
                : String.format(Locale.ROOT, "%s records/s (%.1f s after %.1f s start-up)", number(rate), seconds,
                        startupSeconds);
    }

    private static String latency(Percentiles p) {
        return p.count() == 0 ? "no samples" : String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms (%,d samples, max %.1f ms)",
                p.p50Millis(), p.p95Millis(), p.p99Millis(), p.count(), p.maxMillis());
    }

    private static String met(boolean met, double value) {
        return Double.isNaN(value) ? "—" : met ? "yes" : "no";
    }

    static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
    }
}
