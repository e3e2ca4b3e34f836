package io.rebill.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebill.cli.RebillCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A tiny {@code rebill bench} on its own stack: the report is written and every row has a figure. */
class BenchIT {

    @TempDir
    Path dir;

    @Test
    void writesAReportWithEveryRowFilled() throws Exception {
        Path report = dir.resolve("report.md");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RebillCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("bench", "--count", "2000", "--latency-seconds", "2", "--latency-rate", "200",
                "--data-dir", dir.resolve("data").toString(), "--report", report.toString());
        assertEquals(0, exit, out + "\n" + err);
        assertTrue(Files.exists(report));
        String markdown = Files.readString(report);
        List<String> rows = BenchReportTest.rows(markdown);
        assertEquals(10, rows.size(), markdown);
        for (String row : rows) {
            String value = row.split("\\|")[2];
            assertTrue(value.matches(".*\\d.*"), "no figure in " + row);
            assertTrue(!value.contains("n/a") && !value.contains("skipped") && !value.contains("no samples"),
                    "not measured: " + row);
        }
        assertTrue(out.toString().contains(rows.get(0)), out.toString());
    }
}
