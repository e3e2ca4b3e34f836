package io.rebill.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static final Percentiles BALANCE = new Percentiles(1000, 12.5, 40.0, 80.25, 120.0);
    private static final Percentiles ACCESS = new Percentiles(50, 20.0, 90.0, 240.0, 260.0);

    private static BenchReport report(double baselineSeconds, double pipelineSeconds, double achievedRate) {
        return new BenchReport(Instant.parse("2026-11-22T06:00:00Z"), 2, 4L << 30, "17.0.15", 800_000, 200_000, 1_000,
                10.0, baselineSeconds, 1.5, pipelineSeconds, 6.25, 10_000, achievedRate, 20.0, BALANCE, ACCESS,
                1536L << 20, 512L << 20, 2048L << 20, null);
    }

    @Test
    void derivesRatesAndTheRatio() {
        BenchReport report = report(5.0, 10.0, 9_990);
        assertEquals(1_000_000, report.records());
        assertEquals(100_000, report.produceRate());
        assertEquals(200_000, report.baselineRate());
        assertEquals(100_000, report.pipelineRate());
        assertEquals(0.5, report.ratio());
    }

    @Test
    void rendersOneRowPerFigureWithTargetsAndVerdicts() {
        String markdown = report(5.0, 10.0, 9_990).toMarkdown();
        assertTrue(markdown.startsWith("Run on 2026-11-22T06:00:00Z: 2 cores, max heap 4,096 MiB, Java 17.0.15; "
                + "1,000,000 records (800,000 CDRs + 200,000 SMS) from the demo's 5 sub-accounts and 1,000 of "
                + "bench-agency, one in-process KRaft broker, exactly-once v2, commit.interval.ms 100 (the default)."),
                markdown);
        List<String> rows = rows(markdown);
        assertEquals(10, rows.size(), markdown);
        assertEquals("| Records pre-produced | 1,000,000 in 10.0 s (100,000 records/s) | — | — |", rows.get(0));
        assertEquals("| Passthrough baseline (bytes in, bytes out) | 200,000 records/s (5.0 s after 1.5 s start-up) | — | — |", rows.get(1));
        assertEquals("| Full pipeline end-to-end | 100,000 records/s (10.0 s after 6.3 s start-up) | ≥ 50,000 records/s | yes |", rows.get(2));
        assertEquals("| Pipeline / baseline | 0.50 | ≥ 0.6 | no |", rows.get(3));
        assertEquals("| CDR produced → balance updated, p50 / p95 / p99 | 12.5 / 40.0 / 80.3 ms (1,000 samples, "
                + "max 120.0 ms) | — | — |", rows.get(5));
        assertTrue(rows.get(6).endsWith("| p99 < 250 ms at 10,000 CDRs/s | yes |"), rows.get(6));
        assertEquals("| Peak heap used (whole JVM: broker, services, bench) | 1,536 MiB | — | — |", rows.get(7));
        assertEquals("| Live heap after the pipeline phase (after a full GC) | 512 MiB | flat from 1 M to 10 M records "
                + "| compare two runs |", rows.get(8));
        assertEquals("| Peak RSS (VmHWM) | 2,048 MiB | — | — |", rows.get(9));
    }

    @Test
    void accessTargetIsNotJudgedBelowTheTargetLoad() {
        List<String> rows = rows(report(5.0, 10.0, 2_000).toMarkdown());
        assertTrue(rows.get(6).endsWith("| not at target load |"), rows.get(6));
    }

    @Test
    void skippedBaselineShowsAsSkipped() {
        List<String> rows = rows(report(Double.NaN, 10.0, 9_990).toMarkdown());
        assertEquals("| Passthrough baseline (bytes in, bytes out) | skipped | — | — |", rows.get(1));
        assertEquals("| Pipeline / baseline | skipped | ≥ 0.6 | — |", rows.get(3));
    }

    /** The table's body rows, without header and separator. */
    static List<String> rows(String markdown) {
        List<String> lines = markdown.lines().filter(l -> l.startsWith("| ")).toList();
        return lines.subList(1, lines.size());
    }
}
