package io.rebill.cli.demo;

import io.rebill.cli.DemoStackExtension;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.stack.LocalStack;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.wallet.ledger.WalletIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rebill demo} on the real local stack: its figures must equal an independent computation
 * from the shipped CSV, done here with BigDecimal and none of the pipeline's rating code, and a
 * second replay of the same CDRs must change nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    @RegisterExtension
    static final DemoStackExtension DEMO_STACK = new DemoStackExtension();

    static LocalStack stack;
    static DemoRunner demo;

    @BeforeAll
    static void useStack() {
        stack = DEMO_STACK.stack();
        demo = new DemoRunner(stack);
    }

    @Test
    @Order(1)
    void shouldReportExactlyWhatAnIndependentComputationGivesAndChangeNothingOnReplay() throws Exception {
        Expected expected = Expected.compute(csvRows());

        UsageReport report = demo.replay(DemoRunner.sampleCdrs());

        assertMatches(report, expected);
        StringWriter text = new StringWriter();
        UsageReportPrinter.print(report, new PrintWriter(text));
        assertThat(text.toString()).contains("10,000 CDRs").contains("Workspace acme-agency")
                .contains(io.rebill.money.Micros.format(expected.balances.get(WalletIds.workspace(DemoData.ACME))));

        UsageReport replayed = demo.replay(DemoRunner.sampleCdrs());

        assertThat(replayed).isEqualTo(report);
    }

    /** The README's "First steps", on the stack the demo just filled. */
    @Test
    @Order(2)
    void shouldWalkTheReadmesFirstStepsOnTheDemoStack() throws Exception {
        String[] kafka = {"--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.registryUrl()};

        Run wallet = Run.of("wallet", "show", "--workspace", DemoData.ACME, "--wallet-url", stack.walletUrl());
        assertThat(wallet.exitCode).as(wallet.err).isZero();
        assertThat(wallet.out).contains("acme-dental", "acme-law", "acme-gym");

        Run tail = Run.of(concat(new String[] {"tail", "wallet.balances", "--from-beginning", "--max", "5"}, kafka));
        assertThat(tail.exitCode).as(tail.err).isZero();
        List<String> lines = tail.out.lines().toList();
        assertThat(lines).hasSize(5).allSatisfy(line -> assertThat(line).startsWith("{").contains("\"walletId\""));

        Run list = Run.of(concat(new String[] {"dlq", "list"}, kafka));
        assertThat(list.exitCode).as(list.err).isZero();
        assertThat(list.out).contains("NO_RATE", "INVALID_NUMBER");

        Run replay = Run.of(concat(new String[] {"dlq", "replay", "--dry-run"}, kafka));
        assertThat(replay.exitCode).as(replay.err).isZero();
        // The first test replayed the demo twice, and rejected calls are not de-duplicated: 2 x 84.
        assertThat(replay.out).startsWith("dry run: would replay 168 records from metering.charges.rejected")
                .contains("nothing produced");

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create(stack.walletUrl() + "/dashboard/" + DemoData.ACME)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(
                URI.create(stack.walletUrl() + "/dashboard/assets/app.js")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** {@code rebill} run in-process, with what it printed. */
    private record Run(int exitCode, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            picocli.CommandLine cli = io.rebill.cli.RebillCli.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute(args);
            return new Run(exit, out.toString(), err.toString());
        }
    }

    private static void assertMatches(UsageReport report, Expected expected) {
        assertThat(report.cdrsSent()).isEqualTo(10_000);
        assertThat(report.rejectedByReason()).isEqualTo(expected.rejectedByReason);
        assertThat(report.charged()).isEqualTo(expected.lines.values().stream().mapToLong(l -> l.calls).sum());
        for (UsageReport.WorkspaceSection workspace : report.workspaces()) {
            assertThat(workspace.balanceMicros()).as("balance of " + workspace.workspaceId())
                    .isEqualTo(expected.balances.get(WalletIds.workspace(workspace.workspaceId())));
            for (UsageReport.SubAccountLine line : workspace.subAccounts()) {
                Expected.Line want = expected.lines.get(line.subAccountId());
                String who = workspace.workspaceId() + "/" + line.subAccountId();
                assertThat(line.calls()).as("calls of " + who).isEqualTo(want.calls);
                assertThat(line.billedSeconds()).as("billed seconds of " + who).isEqualTo(want.billedSeconds);
                assertThat(line.costMicros()).as("you pay for " + who).isEqualTo(want.cost.longValueExact());
                assertThat(line.priceMicros()).as("sub-account pays, " + who).isEqualTo(want.price.longValueExact());
                assertThat(line.balanceMicros()).as("balance of " + who)
                        .isEqualTo(expected.balances.getOrDefault(WalletIds.subAccount(workspace.workspaceId(),
                                line.subAccountId()), 0L));
            }
        }
    }

    private static List<String[]> csvRows() throws IOException {
        try (InputStream in = DemoIT.class.getResourceAsStream(DemoData.CDR_RESOURCE)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<String[]> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                rows.add(lines[i].split(",", -1));
            }
            return rows;
        }
    }

    /** The demo's figures worked out from the CSV with BigDecimal, following the written rating rules. */
    static final class Expected {
        static final class Line {
            long calls;
            long billedSeconds;
            BigDecimal cost = BigDecimal.ZERO;
            BigDecimal price = BigDecimal.ZERO;
        }

        final Map<String, Line> lines = new HashMap<>();
        final Map<String, Long> rejectedByReason = new TreeMap<>();
        final Map<String, Long> balances = new HashMap<>(DemoData.openingBalances());

        static Expected compute(List<String[]> rows) {
            Expected expected = new Expected();
            for (String[] row : rows) {
                expected.add(row);
            }
            return expected;
        }

        // Columns: carrier_id,cdr_id,version,workspace_id,sub_account_id,call_id,service,direction,
        // from_number,to_number,start_time,answer_time,end_time,billable_seconds,disposition
        private void add(String[] row) {
            String workspace = row[3];
            String subAccount = row[4];
            String service = row[6];
            String direction = row[7];
            String to = row[9];
            Instant start = Instant.parse(row[10]);
            int seconds = Integer.parseInt(row[13]);
            if (!row[14].equals("ANSWERED") || seconds == 0) {
                return;
            }
            String digits = to.substring(1);
            if (!possibleNumber(to)) {
                rejectedByReason.merge("INVALID_NUMBER", 1L, Long::sum);
                return;
            }
            Optional<RateCardEntry> rate = DemoData.rateCard().stream()
                    .filter(e -> e.getUsageType().name().equals(service) && e.getDirection().name().equals(direction))
                    .filter(e -> digits.startsWith(e.getDestinationPrefix()) && !e.getValidFrom().isAfter(start))
                    .max(Comparator.<RateCardEntry>comparingInt(e -> e.getDestinationPrefix().length())
                            .thenComparing(RateCardEntry::getValidFrom));
            if (rate.isEmpty()) {
                rejectedByReason.merge("NO_RATE", 1L, Long::sum);
                return;
            }
            RateCardEntry entry = rate.get();
            int counted = Math.max(seconds, entry.getMinimumBillableSeconds());
            int first = entry.getFirstIncrementSeconds();
            int next = entry.getNextIncrementSeconds();
            long billed = counted <= first ? first : first + ((long) counted - first + next - 1) / next * next;
            BigDecimal cost = BigDecimal.valueOf(billed).multiply(BigDecimal.valueOf(entry.getUnitPriceMicros()))
                    .divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
                    .add(BigDecimal.valueOf(entry.getConnectFeeMicros()));
            RebillingSettings settings = settingsFor(workspace, subAccount);
            BigDecimal price = BigDecimal.ZERO;
            if (settings != null && settings.getRebillingEnabled()) {
                int basisPoints = !settings.getMarkupAllowed() ? 10_500
                        : service.equals("VOICE_AI") ? settings.getVoiceAiMultiplierBasisPoints()
                        : settings.getVoiceMultiplierBasisPoints();
                price = cost.multiply(BigDecimal.valueOf(basisPoints))
                        .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_UP);
            }
            Line line = lines.computeIfAbsent(subAccount, s -> new Line());
            line.calls++;
            line.billedSeconds += billed;
            line.cost = line.cost.add(cost);
            line.price = line.price.add(price);
            balances.merge(WalletIds.workspace(workspace), -cost.longValueExact(), Long::sum);
            if (price.signum() > 0) {
                balances.merge(WalletIds.subAccount(workspace, subAccount), -price.longValueExact(), Long::sum);
            }
        }

        private static RebillingSettings settingsFor(String workspace, String subAccount) {
            List<RebillingSettings> all = DemoData.rebillingSettings();
            return all.stream().filter(s -> workspace.equals(s.getWorkspaceId()) && subAccount.equals(s.getSubAccountId()))
                    .findFirst()
                    .orElse(all.stream().filter(s -> workspace.equals(s.getWorkspaceId()) && s.getSubAccountId() == null)
                            .findFirst().orElse(null));
        }

        private static boolean possibleNumber(String e164) {
            com.google.i18n.phonenumbers.PhoneNumberUtil util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
            try {
                return util.isPossibleNumber(util.parse(e164, "ZZ"));
            } catch (com.google.i18n.phonenumbers.NumberParseException e) {
                return false;
            }
        }
    }
}
