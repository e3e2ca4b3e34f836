package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.rebill.wallet.query.AccessView;
import io.rebill.wallet.query.LedgerPage;
import io.rebill.wallet.query.SubAccountView;
import io.rebill.wallet.query.UsageSummary;
import io.rebill.wallet.query.WalletView;
import io.rebill.wallet.query.WorkspaceView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a stand-in for wallet-stream's HTTP API on loopback, answering with the API's own view records. */
class WalletShowCommandTest {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final Instant T = Instant.parse("2026-11-21T18:00:00Z");

    private HttpServer server;
    private String url;
    /** Path with query to status and body. */
    private final Map<String, Object[]> answers = new HashMap<>();
    private final List<String> requested = new ArrayList<>();

    @BeforeEach
    void startApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            requested.add(path);
            Object[] answer = answers.getOrDefault(path, new Object[] {404, Map.of("error", "not found")});
            byte[] body = answer[1] instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(answer[1]);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders((Integer) answer[0], body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopApi() {
        server.stop(0);
    }

    @Test
    void shouldShowTheWorkspaceBalanceItsSubAccountsAndTheLatestLedgerEntries() {
        answers.put("/workspaces/acme-agency", new Object[] {200, new WorkspaceView("acme-agency",
                wallet("acme-agency", null, 1_263_271_743L, "1263.271743", "ACTIVE", 42),
                List.of(new WorkspaceView.SubAccountSummary("acme-dental",
                                wallet("acme-agency/acme-dental", "acme-dental", 205_569_836L, "205.569836", "ACTIVE", 9),
                                "ALLOWED"),
                        new WorkspaceView.SubAccountSummary("acme-gym", null, "ALLOWED")))});
        answers.put("/workspaces/acme-agency/ledger?limit=2", new Object[] {200, new LedgerPage("acme-agency", List.of(
                line(42, "CHARGE", "-0.013000", "1263.271743", "charge:carrier-a:cdr-9:v1", "Voice call to +14155550100"),
                line(41, "TOP_UP", "50.000000", "1263.284743", "BANK-7", null)), 40L)});

        CliRun run = CliRun.of("wallet", "show", "--workspace", "acme-agency", "--ledger", "2", "--wallet-url", url);

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(requested).containsExactly("/workspaces/acme-agency", "/workspaces/acme-agency/ledger?limit=2");
        assertThat(run.out).startsWith("Workspace acme-agency\n")
                .contains("  Balance           USD 1263.271743 (ACTIVE)\n")
                .contains("  Ledger            42 entries, last change 2026-11-21T18:00:00Z\n")
                .containsPattern("acme-dental +USD 205.569836  ACTIVE +ALLOWED\n")
                .containsPattern("acme-gym +-  - +ALLOWED\n")
                .contains("Latest ledger entries of acme-agency (newest first):\n")
                .containsPattern("#42 +2026-11-21T18:00:00Z +CHARGE +-0.013000  balance +1263.271743  "
                        + "Voice call to \\+14155550100 \\(charge:carrier-a:cdr-9:v1\\)\n")
                .containsPattern("#41 +.*TOP_UP +50.000000  balance +1263.284743  BANK-7\n")
                .contains("older entries")
                .doesNotContain("You pay");
        assertThat(run.err).isEmpty();
    }

    @Test
    void shouldShowASubAccountsAccessAndMinutesAndProfitWhenTheAnswerCarriesIt() throws Exception {
        SubAccountView view = new SubAccountView("acme-agency", "acme-law",
                wallet("acme-agency/acme-law", "acme-law", -1_500_000L, "-1.500000", "EMPTY", 3),
                new AccessView("acme-agency", "acme-law", "BLOCKED_SUBACCOUNT_FUNDS", "Add funds to keep calling", T),
                new UsageSummary("Pro", "pro", 1, false, "1000.00", "0.00", "0.00", "1000.00", "260.60", "739.40",
                        "26.06", T, Instant.parse("2026-12-01T00:00:00Z"), null, null, List.of()));
        Map<String, Object> withProfit = JSON.convertValue(view, Map.class);
        withProfit.put("youPay", "518.504784");
        withProfit.put("subAccountPays", "544.430164");
        withProfit.put("profit", "25.925380");
        answers.put("/workspaces/acme-agency/sub-accounts/acme-law", new Object[] {200, withProfit});
        answers.put("/workspaces/acme-agency/sub-accounts/acme-law/ledger?limit=5", new Object[] {200,
                new LedgerPage("acme-agency/acme-law", List.of(), null)});

        CliRun run = CliRun.of("wallet", "show", "--workspace", "acme-agency", "--sub-account", "acme-law",
                "--wallet-url", url + "/");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).startsWith("Sub-account acme-law of workspace acme-agency\n")
                .contains("  Balance           USD -1.500000 (EMPTY)\n")
                .contains("  Access            BLOCKED_SUBACCOUNT_FUNDS: Add funds to keep calling\n")
                .contains("  Minutes           Pro: 260.60 of 1000.00 minutes used (26.06%), 739.40 left; "
                        + "renews 2026-12-01T00:00:00Z\n")
                .contains("  You pay           518.504784\n").contains("  Sub-account pays  544.430164\n")
                .contains("  Profit            25.925380\n")
                .endsWith("No ledger entries yet.\n");
    }

    @Test
    void shouldPrintTheApisJsonAsItIsWithJson() {
        String body = "{\"workspaceId\":\"nova-media\",\"wallet\":null,\"subAccounts\":[]}";
        answers.put("/workspaces/nova-media", new Object[] {200, body});

        CliRun run = CliRun.of("wallet", "show", "--workspace", "nova-media", "--json", "--wallet-url", url);

        assertThat(run.exitCode).isZero();
        assertThat(run.out).isEqualTo(body + "\n");
        assertThat(requested).containsExactly("/workspaces/nova-media");
    }

    @Test
    void shouldExit1SayingThereIsNoSuchWorkspaceOrSubAccountOn404() {
        CliRun workspace = CliRun.of("wallet", "show", "--workspace", "globex", "--wallet-url", url);
        CliRun subAccount = CliRun.of("wallet", "show", "--workspace", "globex", "--sub-account", "x",
                "--wallet-url", url);

        assertThat(workspace.exitCode).isEqualTo(1);
        assertThat(workspace.err).isEqualTo("rebill: no such workspace 'globex' at " + url + " (not found)\n");
        assertThat(workspace.out).isEmpty();
        assertThat(subAccount.exitCode).isEqualTo(1);
        assertThat(subAccount.err).startsWith("rebill: no such sub-account 'x' in workspace 'globex'");
    }

    @Test
    void shouldExit1WithTheApisReasonWhenItCannotAnswerYet() {
        answers.put("/workspaces/acme-agency", new Object[] {503,
                Map.of("error", "wallet state is being restored or moved, retry")});

        CliRun run = CliRun.of("wallet", "show", "--workspace", "acme-agency", "--wallet-url", url);

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).isEqualTo("rebill: the wallet API answered HTTP 503 to GET /workspaces/acme-agency: "
                + "wallet state is being restored or moved, retry\n");
    }

    @Test
    void shouldExit2WithOneClearLineWhenTheWalletApiIsNotReachable() throws Exception {
        int port = CliRun.closedPort();

        CliRun run = CliRun.of("wallet", "show", "--workspace", "acme-agency", "--wallet-url", "http://127.0.0.1:" + port);

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("rebill: the wallet API at http://127.0.0.1:" + port + " is not reachable "
                + "(connection refused); is `rebill up` running, or give --wallet-url\n");
    }

    @Test
    void shouldRefuseInvalidArgumentsWithExitCode2BeforeAsking() {
        CliRun badId = CliRun.of("wallet", "show", "--workspace", "acme agency", "--wallet-url", url);
        CliRun badUrl = CliRun.of("wallet", "show", "--workspace", "acme", "--wallet-url", "127.0.0.1:8090");
        CliRun badLedger = CliRun.of("wallet", "show", "--workspace", "acme", "--ledger", "-1", "--wallet-url", url);
        CliRun missing = CliRun.of("wallet", "show");

        assertThat(badId.exitCode).isEqualTo(2);
        assertThat(badId.err).startsWith("rebill: --workspace 'acme agency' must be 1-128 letters");
        assertThat(badUrl.exitCode).isEqualTo(2);
        assertThat(badUrl.err).isEqualTo("rebill: --wallet-url '127.0.0.1:8090' must start with http:// or https://\n");
        assertThat(badLedger.err).isEqualTo("rebill: --ledger must be 0 to 500, got -1\n");
        assertThat(missing.exitCode).isEqualTo(2);
        assertThat(missing.err).contains("Missing required option: '--workspace=ID'");
        assertThat(requested).isEmpty();
    }

    @Test
    void shouldDocumentTheDefaultUrlAndExitCodesInHelp() {
        CliRun run = CliRun.of("wallet", "show", "--help");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Usage: rebill wallet show").contains("--workspace=ID").contains("--sub-account=ID")
                .contains("--wallet-url=URL").contains("Default: http://127.0.0.1:8090").contains("--json")
                .contains("Exit codes:").contains("no such workspace or sub-account");
    }

    private static WalletView wallet(String walletId, String subAccount, long micros, String balance, String status,
                                     long entries) {
        return new WalletView(walletId, "acme-agency", subAccount, subAccount == null ? "WORKSPACE" : "SUB_ACCOUNT",
                "USD", micros, balance, status, entries, T);
    }

    private static LedgerPage.Line line(long sequence, String kind, String amount, String balanceAfter, String reference,
                                        String description) {
        return new LedgerPage.Line(sequence, "e-" + sequence, kind, 0, amount, 0, balanceAfter, "USD", reference,
                description, T, T);
    }
}
