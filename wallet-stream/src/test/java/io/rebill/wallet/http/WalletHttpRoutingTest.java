package io.rebill.wallet.http;

import static io.rebill.wallet.http.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.wallet.http.TestHttp.Response;
import io.rebill.wallet.query.AccessView;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances, A and B, each holding different workspaces, with one ownership map between them,
 * as two wallet-stream instances share one consumer group: every request is answered by the owner.
 */
class WalletHttpRoutingTest {

    private final FakeOwners owners = new FakeOwners();
    private final FakeReadModel modelA = new FakeReadModel().workspace("acme-agency", "acme-dental", 10);
    private final FakeReadModel modelB = new FakeReadModel().workspace("nova-media", "nova-news", 10)
            .access(new AccessView("nova-media", "nova-radio", "ON_HOLD", "Account on hold", FakeReadModel.T0));
    private WalletHttpServer a;
    private WalletHttpServer b;

    @BeforeEach
    void start() throws Exception {
        a = start(modelA);
        b = start(modelB);
        owners.assign("acme-agency", FakeOwners.host(a));
        owners.assign("nova-media", FakeOwners.host(b));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void shouldAnswerWithTheOwnersDataWhenAskingTheOtherInstance() {
        Response viaA = get(a.port(), "/workspaces/nova-media/sub-accounts/nova-news");
        Response viaB = get(b.port(), "/workspaces/acme-agency/sub-accounts/acme-dental");

        assertThat(viaA.status()).isEqualTo(200);
        assertThat(viaA.header("Content-Type")).isEqualTo("application/json");
        assertThat(viaA.json().get("subAccountId").asText()).isEqualTo("nova-news");
        assertThat(viaA.json().at("/wallet/walletId").asText()).isEqualTo("nova-media/nova-news");
        assertThat(viaB.status()).isEqualTo(200);
        assertThat(viaB.json().get("subAccountId").asText()).isEqualTo("acme-dental");
        assertThat(modelA.calls()).isEqualTo(1);
        assertThat(modelB.calls()).isEqualTo(1);
    }

    @Test
    void shouldPassTheQueryToTheOwnerWhenForwardingALedgerRequest() {
        Response viaA = get(a.port(), "/workspaces/nova-media/ledger?limit=2&before=5");

        assertThat(viaA.status()).isEqualTo(200);
        assertThat(viaA.json().get("walletId").asText()).isEqualTo("nova-media");
        assertThat(viaA.json().get("entries")).extracting(line -> line.get("sequence").asLong())
                .containsExactly(4L, 3L);
        assertThat(viaA.json().get("nextBefore").asLong()).isEqualTo(3);
    }

    @Test
    void shouldRelayTheOwnersErrorWhenTheOwnerDoesNotKnowTheId() {
        Response viaA = get(a.port(), "/workspaces/nova-media/sub-accounts/nova-gone/usage");

        assertThat(viaA.status()).isEqualTo(404);
        assertThat(viaA.header("Content-Type")).isEqualTo("application/json");
        assertThat(viaA.json().get("error").asText())
                .isEqualTo("no usage for sub-account nova-gone in workspace nova-media");
        assertThat(modelB.calls()).isEqualTo(1);
    }

    @Test
    void shouldAnswerLocallyWhenAForwardedRequestReachesTheOwner() {
        Response response = get(b.port(), "/workspaces/nova-media", Forwarder.FORWARDED_HEADER, "1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("workspaceId").asText()).isEqualTo("nova-media");
    }

    @Test
    void shouldReturn503WithoutForwardingAgainWhenAForwardedRequestReachesANonOwner() {
        Response response = get(a.port(), "/workspaces/nova-media", Forwarder.FORWARDED_HEADER, "1");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.json().get("error").asText()).contains("nova-media", "retry");
        assertThat(modelA.calls()).isZero();
        assertThat(modelB.calls()).isZero();
    }

    @Test
    void shouldReturn503WithRetryAfterWhenTheOwnerIsUnknown() {
        Response response = get(a.port(), "/workspaces/rebalancing-co/sub-accounts/x/ledger");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.json().get("error").asText())
                .isEqualTo("the owner of workspace rebalancing-co is not known: rebalancing, retry");
    }

    @Test
    void shouldReturn502WhenTheOwnerIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        owners.assign("gone-agency", new HostInfo("127.0.0.1", closedPort));

        Response response = get(a.port(), "/workspaces/gone-agency");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().get("error").asText())
                .isEqualTo("the instance that owns workspace gone-agency did not answer");
    }

    @Test
    void shouldAnswerAccessLocallyWhenTheSubAccountsWorkspaceIsOwnedElsewhere() {
        Response response = get(b.port(), "/access/acme-dental");
        Response blocked = get(b.port(), "/access/nova-radio");

        assertThat(response.status()).isEqualTo(404);
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.json().get("reason").asText()).isEqualTo("Account on hold");
        assertThat(modelA.calls()).isZero();
    }

    private WalletHttpServer start(FakeReadModel model) throws Exception {
        FakeOwners.Lookup lookup = owners.lookup();
        WalletHttpServer server = new WalletHttpServer(new InetSocketAddress("127.0.0.1", 0), model, lookup,
                () -> true);
        server.start();
        lookup.selfIs(server);
        return server;
    }
}
