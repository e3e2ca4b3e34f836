package io.rebill.wallet.http;

import static io.rebill.wallet.http.TestHttp.get;
import static io.rebill.wallet.http.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rebill.wallet.http.TestHttp.Response;
import io.rebill.wallet.query.AccessView;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One instance that owns every workspace: each route answered locally, over real HTTP. */
class WalletHttpServerTest {

    private final FakeReadModel readModel = new FakeReadModel()
            .workspace("acme-agency", "acme-dental", 60)
            .access(new AccessView("acme-agency", "acme-gym", "BLOCKED_SUBACCOUNT_FUNDS",
                    "Sub-account balance is empty; top up to continue", FakeReadModel.T0));
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private WalletHttpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new WalletHttpServer(new InetSocketAddress("127.0.0.1", 0), readModel, FakeOwners.alwaysSelf(),
                ready::get);
        server.start();
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldReportUpWhenReady() {
        Response response = get(port, "/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void shouldReportDownWith503WhenNotReady() {
        ready.set(false);

        Response response = get(port, "/health");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void shouldReturnWorkspaceViewWhenWorkspaceIsKnown() {
        Response response = get(port, "/workspaces/acme-agency");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = response.json();
        assertThat(body.get("workspaceId").asText()).isEqualTo("acme-agency");
        assertThat(body.at("/wallet/walletId").asText()).isEqualTo("acme-agency");
        assertThat(body.at("/wallet/type").asText()).isEqualTo("WORKSPACE");
        assertThat(body.at("/wallet/balanceMicros").asLong()).isEqualTo(1_263_271_743L);
        assertThat(body.at("/wallet/balance").asText()).isEqualTo("1263.271743");
        assertThat(body.at("/wallet/updatedAt").asText()).isEqualTo("2026-11-01T10:15:30Z");
        assertThat(body.at("/wallet/subAccountId").isNull()).isTrue();
        assertThat(body.get("subAccounts")).hasSize(1);
        assertThat(body.at("/subAccounts/0/subAccountId").asText()).isEqualTo("acme-dental");
        assertThat(body.at("/subAccounts/0/access").asText()).isEqualTo("ALLOWED");
        assertThat(body.at("/subAccounts/0/wallet/walletId").asText()).isEqualTo("acme-agency/acme-dental");
    }

    @Test
    void shouldReturnSubAccountViewWhenSubAccountIsKnown() {
        Response response = get(port, "/workspaces/acme-agency/sub-accounts/acme-dental");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("workspaceId").asText()).isEqualTo("acme-agency");
        assertThat(body.get("subAccountId").asText()).isEqualTo("acme-dental");
        assertThat(body.at("/wallet/type").asText()).isEqualTo("SUB_ACCOUNT");
        assertThat(body.at("/wallet/balance").asText()).isEqualTo("205.569836");
        assertThat(body.at("/access/state").asText()).isEqualTo("ALLOWED");
        assertThat(body.at("/access/changedAt").asText()).isEqualTo("2026-11-01T10:15:30Z");
        assertThat(body.at("/usage/usedMinutes").asText()).isEqualTo("26.06");
    }

    @Test
    void shouldReturnUsageSummaryWithNullsWrittenWhenSubAccountIsKnown() {
        Response response = get(port, "/workspaces/acme-agency/sub-accounts/acme-dental/usage");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("plan").asText()).isEqualTo("trial");
        assertThat(body.get("trial").asBoolean()).isTrue();
        assertThat(body.get("percentUsed").asText()).isEqualTo("26.06");
        assertThat(body.get("remainingMinutes").asText()).isEqualTo("73.94");
        assertThat(body.get("expiresAt").asText()).isEqualTo("2026-11-15T10:15:30Z");
        assertThat(body.has("nextRenewal")).isTrue();
        assertThat(body.get("nextRenewal").isNull()).isTrue();
        assertThat(body.at("/recentGrants/0/name").asText()).isEqualTo("Boost 50");
        assertThat(body.at("/recentGrants/0/minutes").asLong()).isEqualTo(50);
    }

    @Test
    void shouldReturnNewestFiftyEntriesWhenLedgerHasNoParameters() {
        Response response = get(port, "/workspaces/acme-agency/ledger");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("walletId").asText()).isEqualTo("acme-agency");
        assertThat(body.get("entries")).hasSize(50);
        assertThat(body.at("/entries/0/sequence").asLong()).isEqualTo(60);
        assertThat(body.at("/entries/0/entryId").asText()).isEqualTo("acme-agency#60");
        assertThat(body.at("/entries/0/amount").asText()).isEqualTo("-1.000000");
        assertThat(body.at("/entries/0/occurredAt").asText()).isEqualTo("2026-11-01T10:16:30Z");
        assertThat(body.at("/entries/0/description").isNull()).isTrue();
        assertThat(body.get("nextBefore").asLong()).isEqualTo(11);
    }

    @Test
    void shouldReturnOlderPageWhenLimitAndBeforeAreGiven() {
        Response response = get(port, "/workspaces/acme-agency/ledger?limit=3&before=11");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("entries")).extracting(line -> line.get("sequence").asLong()).containsExactly(10L, 9L, 8L);
        assertThat(body.get("nextBefore").asLong()).isEqualTo(8);
    }

    @Test
    void shouldReturnNullNextBeforeWhenLedgerPageIsTheLast() {
        Response response = get(port, "/workspaces/acme-agency/ledger?before=3");

        assertThat(response.json().get("entries")).hasSize(2);
        assertThat(response.json().get("nextBefore").isNull()).isTrue();
    }

    @Test
    void shouldReturnSubAccountLedgerWhenSubAccountIsGiven() {
        Response response = get(port, "/workspaces/acme-agency/sub-accounts/acme-dental/ledger?limit=2");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("walletId").asText()).isEqualTo("acme-agency/acme-dental");
        assertThat(body.get("entries")).extracting(line -> line.get("entryId").asText())
                .containsExactly("acme-agency/acme-dental#60", "acme-agency/acme-dental#59");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "500"})
    void shouldAcceptLimitWhenAtTheBounds(String limit) {
        Response response = get(port, "/workspaces/acme-agency/ledger?limit=" + limit);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("entries")).hasSize(Math.min(Integer.parseInt(limit), 60));
    }

    @Test
    void shouldReturn200WithAccessViewWhenAccessIsAllowed() {
        Response response = get(port, "/access/acme-dental");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("subAccountId").asText()).isEqualTo("acme-dental");
        assertThat(body.get("state").asText()).isEqualTo("ALLOWED");
        assertThat(body.has("allowed")).isFalse();
    }

    @Test
    void shouldReturn403WithStateAndReasonWhenAccessIsBlocked() {
        Response response = get(port, "/access/acme-gym");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = response.json();
        assertThat(body.get("state").asText()).isEqualTo("BLOCKED_SUBACCOUNT_FUNDS");
        assertThat(body.get("reason").asText()).isEqualTo("Sub-account balance is empty; top up to continue");
        assertThat(body.get("workspaceId").asText()).isEqualTo("acme-agency");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        /access/nobody                                        | no access status for sub-account nobody
        /workspaces/nova-media                                | workspace nova-media not found
        /workspaces/nova-media/ledger                         | wallet nova-media not found
        /workspaces/acme-agency/sub-accounts/acme-law         | sub-account acme-law not found in workspace acme-agency
        /workspaces/acme-agency/sub-accounts/acme-law/usage   | no usage for sub-account acme-law in workspace acme-agency
        /workspaces/acme-agency/sub-accounts/acme-law/ledger  | wallet acme-agency/acme-law not found
        """)
    void shouldReturn404NamingTheIdWhenItIsUnknown(String path, String error) {
        Response response = get(port, path);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.json().get("error").asText()).isEqualTo(error);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/", "/healthz", "/workspace/acme-agency", "/workspaces", "/access", "/access/a/b",
        "/workspaces/acme-agency/usage", "/workspaces/acme-agency/sub-accounts",
        "/workspaces/acme-agency/sub-accounts/acme-dental/balance",
        "/workspaces/acme-agency/sub-accounts/acme-dental/usage/extra",
    })
    void shouldReturn404WhenPathIsUnknown(String path) {
        Response response = get(port, path);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asText()).isEqualTo("no such resource");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad%20id", "-leading-dash", ".hidden", "semi%3Bcolon", "a%2Fb", "caf%C3%A9",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void shouldReturn400NamingTheWorkspaceIdWhenItIsMalformed(String workspaceId) {
        Response response = get(port, "/workspaces/" + workspaceId + "/sub-accounts/acme-dental");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).startsWith("workspace id is");
        assertThat(readModel.calls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/workspaces/acme-agency/sub-accounts/bad!id",
        "/workspaces/acme-agency/sub-accounts/_x/usage",
        "/workspaces/acme-agency/sub-accounts/x%20y/ledger",
        "/access/bad%2Bplus+",
    })
    void shouldReturn400NamingTheSubAccountIdWhenItIsMalformed(String path) {
        Response response = get(port, path);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).startsWith("sub-account id is invalid");
    }

    @Test
    void shouldAcceptTheLongestIdWhenItHas128Characters() {
        Response response = get(port, "/workspaces/" + "a".repeat(128));

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void shouldDecodeIdsWhenTheyArePercentEncoded() {
        Response response = get(port, "/workspaces/acme%2Dagency");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("workspaceId").asText()).isEqualTo("acme-agency");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "-1", "abc", "", "2.5", "99999999999"})
    void shouldReturn400NamingLimitWhenLimitIsOutOfRange(String limit) {
        Response response = get(port, "/workspaces/acme-agency/ledger?limit=" + limit);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).startsWith("limit must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "x", "", "99999999999999999999"})
    void shouldReturn400NamingBeforeWhenBeforeIsNotAPositiveNumber(String before) {
        Response response = get(port, "/workspaces/acme-agency/sub-accounts/acme-dental/ledger?before=" + before);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).startsWith("before must be");
    }

    @Test
    void shouldReturn400WhenAParameterIsRepeated() {
        Response response = get(port, "/workspaces/acme-agency/ledger?limit=5&limit=6");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("limit is given more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void shouldReturn405WithAllowHeaderWhenMethodIsNotGet(String method) {
        Response response = send(port, method, "/workspaces/acme-agency");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET");
        assertThat(response.json().get("error").asText()).isEqualTo("only GET is supported");
    }

    @Test
    void shouldReturn405WhenMethodIsNotGetEvenIfTheIdIsMalformed() {
        Response response = send(port, "DELETE", "/workspaces/bad!id");

        assertThat(response.status()).isEqualTo(405);
    }

    @Test
    void shouldReturn404RatherThan405WhenPathIsUnknown() {
        Response response = send(port, "POST", "/nothing-here");

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void shouldReturn500WithoutDetailsWhenTheReadModelFails() {
        readModel.failWith(() -> new IllegalStateException("rocksdb exploded at /var/lib/secret"));

        Response response = get(port, "/workspaces/acme-agency");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().get("error").asText()).isEqualTo("internal error");
        assertThat(response.body()).doesNotContain("rocksdb", "secret", "Exception", "at io.");
    }

    @Test
    void shouldReturn503WithRetryAfterWhenTheStoreIsMigrating() {
        readModel.failWith(() -> new InvalidStateStoreException("The state store, wallets, may have migrated"));

        Response response = get(port, "/workspaces/acme-agency/sub-accounts/acme-dental");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.json().get("error").asText()).endsWith("retry");
    }
}
