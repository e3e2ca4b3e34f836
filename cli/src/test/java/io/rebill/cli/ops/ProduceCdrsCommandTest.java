package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.demo.DemoData;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.schemas.usage.CallDetailRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProduceCdrsCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");

    /** What reached the sink, with the fake time it was sent at. */
    private record Sent(String key, CallDetailRecord cdr, long atNanos) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final FakeTicker ticker = new FakeTicker();
    private boolean terminal;
    private int failEvery;
    private boolean opened;

    @Test
    void shouldProduceTheCountKeyedByCarrierAndCdrIdAndReportEveryAcknowledgement() {
        CliRun run = run("produce", "cdrs", "--count", "200", "--rate", "0", "--seed", "7");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(sent).hasSize(200);
        assertThat(sent).allSatisfy(s -> assertThat(s.key())
                .isEqualTo(ChargeIds.cdrKey(s.cdr().getCarrierId(), s.cdr().getCdrId())));
        assertThat(sent.stream().map(s -> s.cdr().getCdrId()).collect(Collectors.toSet())).as("unique ids").hasSize(200);
        assertThat(sent.get(0).cdr().getCdrId()).isEqualTo("load-7-20261121T000000Z-000001");
        assertThat(sent).allSatisfy(s -> {
            CallDetailRecord cdr = s.cdr();
            assertThat(DemoData.workspaces().get(cdr.getWorkspaceId())).contains(cdr.getSubAccountId());
            assertThat(cdr.getStartTime()).isBetween(Instant.parse("2026-11-21T00:00:00Z"),
                    Instant.parse("2026-11-22T00:00:00Z"));
            assertThat(cdr.getEndTime()).isAfterOrEqualTo(cdr.getStartTime());
        });
        assertThat(ticker.sleptNanos).as("--rate 0 never waits").isZero();
        assertThat(run.out).contains("sent          200 of 200 CDRs to metering.cdr.raw\n")
                .contains("acknowledged  200\n").contains("errors        0\n")
                .contains("rate          ").contains("(target: as fast as possible)")
                .contains("seed          7 (--seed 7 --since 2026-11-21T00:00:00Z produces the same CDRs)");
    }

    @Test
    void shouldPaceRecordsToTheTargetRate() {
        CliRun run = run("produce", "cdrs", "--count", "50", "--rate", "20", "--seed", "1", "--no-progress");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(sent).hasSize(50);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).atNanos()).as("record %d is not sent before its slot", i)
                    .isGreaterThanOrEqualTo(i * 50_000_000L)
                    .isLessThan(i * 50_000_000L + 50_000_000L);
        }
        // 50 records at 20/s: the last one goes out 2.45 s after the first.
        assertThat(ticker.now).isBetween(2_450_000_000L, 2_500_000_000L);
        assertThat(run.out).contains("elapsed       2.45 s\n").contains("rate          20.4 records/s (target: 20/s)\n");
        assertThat(run.err).as("--no-progress").isEmpty();
    }

    @Test
    void shouldProduceTheSameCdrsForTheSameSeedAndOthersForAnotherSeed() {
        run("produce", "cdrs", "--count", "30", "--rate", "0", "--seed", "42", "--since", "2026-11-01T00:00:00Z");
        List<CallDetailRecord> first = sent.stream().map(Sent::cdr).toList();
        sent.clear();
        run("produce", "cdrs", "--count", "30", "--rate", "0", "--seed", "42", "--since", "2026-11-01T00:00:00Z");
        List<CallDetailRecord> again = sent.stream().map(Sent::cdr).toList();
        sent.clear();
        run("produce", "cdrs", "--count", "30", "--rate", "0", "--seed", "43", "--since", "2026-11-01T00:00:00Z");
        List<CallDetailRecord> other = sent.stream().map(Sent::cdr).toList();

        assertThat(again).isEqualTo(first);
        assertThat(other.stream().map(CallDetailRecord::getToNumber).toList())
                .isNotEqualTo(first.stream().map(CallDetailRecord::getToNumber).toList());
        assertThat(other.get(0).getCdrId()).isEqualTo("load-43-20261101T000000Z-000001");
    }

    @Test
    void shouldOnlyUseTheNamedWorkspacesAndSubAccounts() {
        run("produce", "cdrs", "--count", "100", "--rate", "0", "--workspaces", "nova-media,ws-x/client-1");

        Set<String> callers = new HashSet<>();
        sent.forEach(s -> callers.add(s.cdr().getWorkspaceId() + "/" + s.cdr().getSubAccountId()));
        assertThat(callers).containsExactlyInAnyOrder("nova-media/nova-cafe", "nova-media/nova-salon", "ws-x/client-1");
    }

    @Test
    void shouldDrawAProgressBarOnATerminalAndPlainLinesOtherwise() {
        terminal = true;
        CliRun bar = run("produce", "cdrs", "--count", "40", "--rate", "10");
        terminal = false;
        CliRun lines = run("produce", "cdrs", "--count", "120", "--rate", "10");
        CliRun forced = run("produce", "cdrs", "--count", "5", "--rate", "10", "--progress");

        assertThat(bar.err).contains("\r[").contains("] 100%  40/40 sent  40 acknowledged  0 errors").endsWith("\n");
        assertThat(lines.err).doesNotContain("\r").contains("produce cdrs: 50/120 sent (41%), 50 acknowledged, 0 errors,")
                .contains("produce cdrs: 100/120 sent (83%)");
        assertThat(lines.err.lines().count()).as("a line every 5 s of 12 s").isEqualTo(2);
        assertThat(forced.err).contains("\r[##############################] 100%  5/5 sent");
    }

    @Test
    void shouldExit1AndCountTheRecordsKafkaDidNotAcknowledge() {
        failEvery = 10;

        CliRun run = run("produce", "cdrs", "--count", "100", "--rate", "0");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.out).contains("sent          100 of 100").contains("acknowledged  90\n")
                .contains("errors        10 (first: NOT_ENOUGH_REPLICAS)\n");
    }

    @Test
    void shouldRefuseInvalidArgumentsWithExitCode2BeforeConnecting() {
        assertThat(run("produce", "cdrs", "--count", "0").err).isEqualTo("rebill: --count must be at least 1, got 0\n");
        assertThat(run("produce", "cdrs", "--rate", "-5").err)
                .isEqualTo("rebill: --rate must be 0 (as fast as possible) or a number of records per second, got -5\n");
        CliRun unknown = run("produce", "cdrs", "--workspaces", "acme-agency,globex");
        assertThat(unknown.exitCode).isEqualTo(2);
        assertThat(unknown.err).isEqualTo("rebill: --workspaces: 'globex' is not a demo workspace; give acme-agency, "
                + "nova-media, or WORKSPACE/SUB_ACCOUNT for any other\n");
        assertThat(run("produce", "cdrs", "--workspaces", "ws/bad id").err)
                .startsWith("rebill: --workspaces: 'ws/bad id' must be WORKSPACE/SUB_ACCOUNT");
        assertThat(run("produce", "cdrs", "--since", "yesterday").err)
                .isEqualTo("rebill: --since 'yesterday' must be an ISO-8601 instant such as 2026-11-21T00:00:00Z\n");
        CliRun notANumber = run("produce", "cdrs", "--count", "many");
        assertThat(notANumber.exitCode).isEqualTo(2);
        assertThat(notANumber.err).contains("Invalid value for option '--count': 'many' is not a long");
        assertThat(opened).as("nothing reached Kafka").isFalse();
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldExit2WithOneLineWhenKafkaIsNotReachable() throws Exception {
        int port = CliRun.closedPort();

        CliRun run = CliRun.of("produce", "cdrs", "--count", "1", "--bootstrap-servers", "127.0.0.1:" + port);

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: Kafka at 127.0.0.1:" + port + " is not reachable; is `rebill up` running?\n");
    }

    @Test
    void shouldDocumentOptionsAndExitCodesInHelp() {
        CliRun run = CliRun.of("produce", "cdrs", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill produce cdrs").contains("--count=N").contains("--rate=R")
                .contains("--workspaces=WS[/SA]").contains("--seed=S").contains("--[no-]progress")
                .contains("0 = as fast as possible").contains("Exit codes:");
    }

    private CliRun run(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ProduceCdrsCommand.class) {
                    return type.cast(new ProduceCdrsCommand(kafka -> {
                        opened = true;
                        return new ListSink();
                    }, Clock.fixed(NOW, ZoneOffset.UTC), ticker, () -> terminal, () -> 99));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        ticker.now = 0;
        ticker.sleptNanos = 0;
        return CliRun.with(factory, args);
    }

    private final class ListSink implements CdrLoadSink {

        @Override
        public void send(String key, CallDetailRecord cdr, Consumer<Exception> acknowledged) {
            sent.add(new Sent(key, cdr, ticker.now));
            boolean fail = failEvery > 0 && sent.size() % failEvery == 0;
            acknowledged.accept(fail ? new IllegalStateException("NOT_ENOUGH_REPLICAS") : null);
            // Each record costs 1 µs of fake time.
            ticker.now += 1_000;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Time that moves only when slept or when a record is sent. */
    private static final class FakeTicker implements Ticker {
        long now;
        long sleptNanos;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
            sleptNanos += nanos;
        }
    }
}
