package io.rebill.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebill.cli.RebillCli;
import io.rebill.cli.demo.CdrGenerator;
import io.rebill.cli.demo.DemoData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option checks: each runs before any stack starts, so these tests start nothing. */
class BenchCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RebillCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    private static void assertRejected(String message, String... args) {
        String[] result = run(args);
        assertEquals("2", result[0], result[2]);
        assertTrue(result[2].contains(message), result[2]);
    }

    @Test
    void rejectsBadOptionsBeforeStartingAnything() {
        assertRejected("--count must be at least 1", "bench", "--count", "0");
        assertRejected("--messages-ratio must be between 0 and 1", "bench", "--messages-ratio", "1.5");
        assertRejected("--messages-ratio must be between 0 and 1", "bench", "--messages-ratio", "NaN");
        assertRejected("--latency-rate must be above 0", "bench", "--latency-rate", "0");
        assertRejected("--latency-seconds must be between 1 and 3600", "bench", "--latency-seconds", "0");
        assertRejected("--agency-sub-accounts must be between 0 and 100000", "bench", "--agency-sub-accounts", "-1");
        assertRejected("--commit-interval-ms must be between 1 and 60000", "bench", "--commit-interval-ms", "0");
    }

    @Test
    void spreadsCallsOverAFewLargeAgencyClientsAndALongTail() {
        List<CdrGenerator.Caller> callers = BenchRunner.callers(1_000);

        assertEquals(1_005, callers.size());
        Map<String, Integer> weightByWorkspace = callers.stream().collect(Collectors.groupingBy(
                CdrGenerator.Caller::workspaceId, Collectors.summingInt(CdrGenerator.Caller::weight)));
        assertEquals(100, weightByWorkspace.get(DemoData.ACME) + weightByWorkspace.get(DemoData.NOVA));
        assertEquals(1_382, weightByWorkspace.get(BenchRunner.AGENCY_WORKSPACE));
        assertEquals(new CdrGenerator.Caller(BenchRunner.AGENCY_WORKSPACE, "client-00001", 100), callers.get(5));
        assertEquals(new CdrGenerator.Caller(BenchRunner.AGENCY_WORKSPACE, "client-01000", 1), callers.get(1_004));
        assertEquals(CdrGenerator.demoCallers(), BenchRunner.callers(0));
    }

    @Test
    void defaultsAreThoseOfTheIssue() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs();
        assertEquals(1_000_000, command.count);
        assertEquals(0.2, command.messagesRatio);
        assertEquals(10_000, command.latencyRate);
        assertEquals(20, command.latencySeconds);
        assertEquals("bench-report.md", command.report.toString());
        assertEquals(200_000, command.messages());
        assertEquals(100, command.flipAccounts());
        assertEquals(1_000, command.agencySubAccounts);
        assertEquals(null, command.commitIntervalMs);
        command.validate();
    }

    @Test
    void fewLatencyCdrsStillFlipOneSubAccount() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--latency-rate", "10", "--latency-seconds", "1", "--count", "3",
                "--messages-ratio", "0.5");
        assertEquals(1, command.flipAccounts());
        assertEquals(2, command.messages());
    }

    @Test
    void isListedInTheHelp() {
        String[] result = run("--help");
        assertTrue(result[1].contains("bench"), result[1]);
    }
}
