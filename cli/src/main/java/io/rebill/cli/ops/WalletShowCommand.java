package io.rebill.cli.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.cli.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill wallet show}: a workspace's or sub-account's wallet as wallet-stream's HTTP API
 * answers it, in a few readable lines, with the latest ledger entries.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show a wallet: balance, access and the latest ledger entries.",
                "Without --sub-account: the workspace's wallet and each sub-account's balance and access. With it: "
                        + "the sub-account's wallet, access and minutes. As wallet-stream's HTTP API answers.",
                "--json prints the API's JSON for the workspace or sub-account as it is."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the wallet was shown",
                "1:no such workspace or sub-account, or the wallet API answered an error (e.g. 503 while restoring)",
                "2:an argument is invalid, or the wallet API cannot be reached"})
public final class WalletShowCommand implements Callable<Integer> {

    static final String DEFAULT_WALLET_URL = "http://127.0.0.1:8090";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--workspace", required = true, paramLabel = "ID", description = "The workspace (agency).")
    String workspace;

    @Option(names = "--sub-account", paramLabel = "ID",
            description = "One sub-account (client) of the workspace; without it the workspace and all its sub-accounts.")
    String subAccount;

    @Option(names = "--wallet-url", defaultValue = DEFAULT_WALLET_URL, paramLabel = "URL",
            description = {"wallet-stream's HTTP API.", "Default: ${DEFAULT-VALUE} (`rebill up`)"})
    String walletUrl;

    @Option(names = "--ledger", defaultValue = "5", paramLabel = "N",
            description = "How many of the latest ledger entries to show, 0 for none (default: ${DEFAULT-VALUE}).")
    int ledgerEntries;

    @Option(names = "--json", description = "Print the API's JSON as it is instead.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Ids.require("--workspace", workspace);
        if (subAccount != null) {
            Ids.require("--sub-account", subAccount);
        }
        if (ledgerEntries < 0 || ledgerEntries > 500) {
            throw new UserException("--ledger must be 0 to 500, got " + ledgerEntries);
        }
        String base = baseUrl();
        String path = "/workspaces/" + workspace + (subAccount == null ? "" : "/sub-accounts/" + subAccount);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

        HttpResponse<String> view = get(client, base, path);
        if (view.statusCode() == 404) {
            err.println("rebill: " + (subAccount == null ? "no such workspace '" + workspace + "'"
                    : "no such sub-account '" + subAccount + "' in workspace '" + workspace + "'")
                    + " at " + base + " (" + errorText(view) + ")");
            err.flush();
            return 1;
        }
        if (view.statusCode() != 200) {
            return apiError(err, path, view);
        }
        if (json) {
            out.println(view.body());
            out.flush();
            return 0;
        }
        JsonNode node = parse(view, path);
        List<String> lines = new ArrayList<>();
        if (subAccount == null) {
            workspaceLines(node, lines);
        } else {
            subAccountLines(node, lines);
        }
        if (ledgerEntries > 0) {
            HttpResponse<String> ledger = get(client, base, path + "/ledger?limit=" + ledgerEntries);
            if (ledger.statusCode() == 200) {
                ledgerLines(parse(ledger, path + "/ledger"), lines);
            } else if (ledger.statusCode() == 404) {
                lines.add("");
                lines.add("No ledger entries yet.");
            } else {
                lines.forEach(out::println);
                out.flush();
                return apiError(err, path + "/ledger", ledger);
            }
        }
        lines.forEach(out::println);
        out.flush();
        return 0;
    }

    private void workspaceLines(JsonNode view, List<String> lines) {
        lines.add("Workspace " + view.path("workspaceId").asText(workspace));
        walletLines(view.path("wallet"), lines);
        profitLines(view, lines);
        JsonNode subAccounts = view.path("subAccounts");
        if (!subAccounts.isArray() || subAccounts.isEmpty()) {
            lines.add("  No sub-accounts with a wallet or access status yet.");
            return;
        }
        boolean profits = false;
        for (JsonNode sub : subAccounts) {
            profits |= sub.has("youPay") || sub.has("subAccountPays") || sub.has("profit");
        }
        lines.add("");
        String header = String.format(Locale.ROOT, "  %-20s %22s  %-8s %-26s", "Sub-account", "Balance", "Status", "Access");
        lines.add((profits ? header + String.format(Locale.ROOT, " %14s %17s %14s", "You pay", "Sub-account pays", "Profit")
                : header).stripTrailing());
        for (JsonNode sub : subAccounts) {
            JsonNode wallet = sub.path("wallet");
            String row = String.format(Locale.ROOT, "  %-20s %22s  %-8s %-26s", sub.path("subAccountId").asText(),
                    wallet.isObject() ? money(wallet.path("currency"), wallet.path("balance")) : "-",
                    wallet.isObject() ? wallet.path("status").asText("-") : "-", text(sub.path("access")));
            if (profits) {
                row += String.format(Locale.ROOT, " %14s %17s %14s", text(sub.path("youPay")),
                        text(sub.path("subAccountPays")), text(sub.path("profit")));
            }
            lines.add(row.stripTrailing());
        }
    }

    private void subAccountLines(JsonNode view, List<String> lines) {
        lines.add("Sub-account " + view.path("subAccountId").asText(subAccount) + " of workspace "
                + view.path("workspaceId").asText(workspace));
        walletLines(view.path("wallet"), lines);
        JsonNode access = view.path("access");
        if (access.isObject()) {
            String state = access.path("state").asText("?");
            String reason = access.path("reason").asText("");
            lines.add(field("Access", state + (reason.isEmpty() || "ALLOWED".equals(state) ? "" : ": " + reason)));
        } else {
            lines.add(field("Access", "no status yet"));
        }
        JsonNode usage = view.path("usage");
        if (usage.isObject()) {
            String plan = usage.path("plan").asText("?");
            StringBuilder minutes = new StringBuilder(plan + ": " + usage.path("usedMinutes").asText("?") + " of "
                    + usage.path("totalMinutes").asText("?") + " minutes used (" + usage.path("percentUsed").asText("?")
                    + "%), " + usage.path("remainingMinutes").asText("?") + " left");
            if (usage.hasNonNull("nextRenewal")) {
                minutes.append("; renews ").append(usage.path("nextRenewal").asText());
            }
            if (usage.hasNonNull("expiresAt")) {
                minutes.append("; expires ").append(usage.path("expiresAt").asText());
            }
            lines.add(field("Minutes", minutes.toString()));
        }
        profitLines(view, lines);
    }

    private static void walletLines(JsonNode wallet, List<String> lines) {
        if (!wallet.isObject()) {
            lines.add(field("Balance", "no wallet yet"));
            return;
        }
        lines.add(field("Balance", money(wallet.path("currency"), wallet.path("balance")) + " ("
                + wallet.path("status").asText("?") + ")"));
        lines.add(field("Ledger", String.format(Locale.ROOT, "%,d entries", wallet.path("entryCount").asLong())
                + (wallet.hasNonNull("updatedAt") ? ", last change " + wallet.path("updatedAt").asText() : "")));
    }

    /** You pay / Sub-account pays / Profit: shown when the API's answer carries them. */
    private static void profitLines(JsonNode view, List<String> lines) {
        for (String[] field : new String[][] {{"youPay", "You pay"}, {"subAccountPays", "Sub-account pays"},
                {"profit", "Profit"}}) {
            if (view.hasNonNull(field[0])) {
                lines.add(field(field[1], text(view.path(field[0]))));
            }
        }
    }

    private static void ledgerLines(JsonNode page, List<String> lines) {
        JsonNode entries = page.path("entries");
        lines.add("");
        if (!entries.isArray() || entries.isEmpty()) {
            lines.add("No ledger entries yet.");
            return;
        }
        lines.add("Latest ledger entries of " + page.path("walletId").asText() + " (newest first):");
        for (JsonNode entry : entries) {
            String row = String.format(Locale.ROOT, "  #%-6d %-24s %-16s %16s  balance %16s  %s",
                    entry.path("sequence").asLong(), entry.path("occurredAt").asText(""), entry.path("kind").asText(""),
                    entry.path("amount").asText(""), entry.path("balanceAfter").asText(""),
                    description(entry));
            lines.add(row.stripTrailing());
        }
        if (page.hasNonNull("nextBefore")) {
            lines.add("  ... older entries: --ledger with a larger N, or GET .../ledger?before="
                    + page.path("nextBefore").asLong());
        }
    }

    private static String description(JsonNode entry) {
        String description = entry.path("description").asText("");
        String reference = entry.path("reference").asText("");
        if (entry.path("description").isNull()) {
            description = "";
        }
        if (entry.path("reference").isNull()) {
            reference = "";
        }
        return description.isEmpty() ? reference : reference.isEmpty() ? description : description + " (" + reference + ")";
    }

    private static String field(String name, String value) {
        return String.format(Locale.ROOT, "  %-17s %s", name, value);
    }

    private static String money(JsonNode currency, JsonNode amount) {
        return (currency.isTextual() ? currency.asText() + " " : "") + amount.asText("?");
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "-" : node.asText();
    }

    private String baseUrl() {
        String url = walletUrl.trim();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new UserException("--wallet-url '" + walletUrl + "' must start with http:// or https://");
        }
        try {
            URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UserException("--wallet-url '" + walletUrl + "' is not a URL: " + e.getMessage());
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private HttpResponse<String> get(HttpClient client, String base, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw notReachable(base, "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw notReachable(base, "no answer to GET " + path + " within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw notReachable(base, "connection refused");
        } catch (IOException e) {
            throw notReachable(base, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("Interrupted while asking the wallet API at " + base, e);
        }
    }

    private static UserException notReachable(String base, String why) {
        return new UserException("the wallet API at " + base + " is not reachable (" + why
                + "); is `rebill up` running, or give --wallet-url");
    }

    private int apiError(PrintWriter err, String path, HttpResponse<String> response) {
        if (response.statusCode() == 400) {
            throw new UserException("the wallet API refused GET " + path + ": " + errorText(response));
        }
        err.println("rebill: the wallet API answered HTTP " + response.statusCode() + " to GET " + path + ": "
                + errorText(response));
        err.flush();
        return 1;
    }

    private static JsonNode parse(HttpResponse<String> response, String path) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the answer to GET " + path + " is not JSON; is --wallet-url "
                    + "wallet-stream's HTTP API?");
        }
    }

    /** The API's {"error": "..."} text, or the start of whatever else came back. */
    private static String errorText(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.hasNonNull("error")) {
                return body.path("error").asText();
            }
        } catch (JsonProcessingException e) {
            // Not the wallet API's JSON: show what it was.
        }
        String body = response.body() == null ? "" : response.body().strip();
        return body.isEmpty() ? "empty body" : body.length() > 120 ? body.substring(0, 120) + "..." : body;
    }
}
