package io.rebill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RebillCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = RebillCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldListDemoAndUpInHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("demo").contains("up").contains("Usage: rebill");
    }

    @Test
    void shouldExplainEveryDemoOptionInHelp() {
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--fresh").contains("--data-dir=DIR").contains("--kafka-port=PORT")
                .contains("--exit");
    }

    @Test
    void shouldRejectUnknownCommandWithUsageAndExitCode2() {
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'bogus'");
    }

    @Test
    void shouldRejectMalformedPortWithoutStackTrace() {
        assertThat(run("up", "--kafka-port", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("'abc' is not an int").doesNotContain("\tat ");
    }

    @Test
    void shouldSayWhichPortIsTakenInsteadOfFailingHalfway(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = run("up", "--data-dir", dataDir.toString(), "--kafka-port", String.valueOf(taken.getLocalPort()));

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("--kafka-port").doesNotContain("\tat ");
        }
    }
}
