package io.rebill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.demo.DemoRunner;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.stack.LocalStack;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.WalletService;
import io.rebill.wallet.processor.WalletStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two wallet-stream instances of one application on the real broker: each answers HTTP queries
 * for workspaces the other owns, and a sub-account goes from ALLOWED to BLOCKED and back after a
 * top-up, each change visible on the access API within a second of the record that caused it.
 */
class WalletIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> WORKSPACES = List.of(DemoData.ACME, DemoData.NOVA, "ws-a", "ws-b", "ws-c",
            "ws-d", "ws-e", "ws-f");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Path dataDir;
    static LocalStack stack;
    static Topics topics;
    static final List<WalletService> wallets = new ArrayList<>();
    static final List<String> urls = new ArrayList<>();

    @BeforeAll
    static void startTwoWalletInstances() throws Exception {
        dataDir = Files.createTempDirectory("rebill-wallet-it-");
        stack = new LocalStack(LocalStack.Settings.withFreePorts(dataDir)).startInfrastructure();
        topics = stack.topics();
        new DemoRunner(stack).publishReferenceData();
        for (String instance : List.of("a", "b")) {
            int port = freePort();
            wallets.add(WalletApp.createService(WalletApp.config(stack.walletConfig(port, instance))).start());
            urls.add("http://127.0.0.1:" + port);
        }
        await().atMost(TIMEOUT).until(() -> wallets.stream().allMatch(w -> w.streams().state() == KafkaStreams.State.RUNNING)
                && ownersOf(WORKSPACES).size() == 2);
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            for (String workspace : WORKSPACES) {
                producer.send(topics.walletCommands, workspace, topUp("open-" + workspace, workspace, null, 50_000_000));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopAll() {
        wallets.forEach(WalletService::close);
        if (stack != null) {
            stack.close();
        }
        if (dataDir != null) {
            LocalStack.wipe(dataDir);
        }
    }

    @Test
    void shouldAnswerForEveryWorkspaceOnEitherInstanceWhoeverOwnsIt() throws Exception {
        assertThat(ownersOf(WORKSPACES)).as("both instances own some of the workspaces").hasSize(2);
        for (String workspace : WORKSPACES) {
            await().atMost(TIMEOUT).until(() -> get(urls.get(0), "/workspaces/" + workspace).statusCode() == 200);
            HttpResponse<String> fromA = get(urls.get(0), "/workspaces/" + workspace);
            HttpResponse<String> fromB = get(urls.get(1), "/workspaces/" + workspace);

            assertThat(fromA.statusCode()).isEqualTo(200);
            assertThat(fromB.statusCode()).isEqualTo(200);
            JsonNode a = JSON.readTree(fromA.body());
            assertThat(a.path("wallet").path("balanceMicros").asLong()).as("balance of " + workspace)
                    .isEqualTo(DemoData.openingBalances().getOrDefault(workspace, 0L) + 50_000_000);
            assertThat(JSON.readTree(fromB.body())).isEqualTo(a);
            HttpResponse<String> ledger = get(urls.get(1), "/workspaces/" + workspace + "/ledger?limit=10");
            assertThat(JSON.readTree(ledger.body()).path("entries").get(0).path("kind").asText()).isEqualTo("TOP_UP");
        }
        assertThat(get(urls.get(0), "/workspaces/no-such-workspace").statusCode()).isEqualTo(404);
        assertThat(get(urls.get(1), "/workspaces/bad%20id").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldBlockASubAccountWithinASecondOfTheChargeThatEmptiesItAndAllowItAgainAfterATopUp() throws Exception {
        // A client with no history: its only money is the dollar topped up here.
        String subAccount = "acme-newcomer";
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.walletCommands, DemoData.ACME, topUp("it-sub", DemoData.ACME, subAccount, 1_000_000));
            producer.flush();
        }
        await().atMost(TIMEOUT).until(() -> get(urls.get(1), "/access/" + subAccount).statusCode() == 200);

        long blockedAfter = produceAndTimeUntil(charge("it-call-1", 600_000, 1_200_000), subAccount, 403);
        JsonNode blocked = JSON.readTree(get(urls.get(0), "/access/" + subAccount).body());
        assertThat(blocked.path("state").asText()).isEqualTo("BLOCKED_SUBACCOUNT_FUNDS");
        assertThat(blocked.path("reason").asText()).startsWith("Add funds");

        long allowedAfter = produceAndTimeUntil(topUp("it-sub-2", DemoData.ACME, subAccount, 5_000_000), subAccount, 200);

        LoggerFactory.getLogger(WalletIT.class).info("Access blocked {} ms after the charge, allowed {} ms after the top-up",
                blockedAfter, allowedAfter);
        assertThat(blockedAfter).as("ms from the charge to 403").isLessThan(1_000);
        assertThat(allowedAfter).as("ms from the top-up to 200").isLessThan(1_000);
        JsonNode view = JSON.readTree(get(urls.get(1), "/workspaces/" + DemoData.ACME + "/sub-accounts/" + subAccount).body());
        assertThat(view.path("wallet").path("balanceMicros").asLong()).isEqualTo(1_000_000 - 1_200_000 + 5_000_000);
        // The dashboard's figures, from the real stores: re-billed by the workspace default, and this
        // month's cost, price and margin from the daily usage aggregate.
        assertThat(view.path("rebilled").asBoolean()).isTrue();
        JsonNode period = view.path("period");
        assertThat(period.path("charges").asLong()).isEqualTo(1);
        assertThat(period.path("currency").asText()).isEqualTo("USD");
        assertThat(period.path("cost").asText()).isEqualTo("0.600000");
        assertThat(period.path("price").asText()).isEqualTo("1.200000");
        assertThat(period.path("margin").asText()).isEqualTo("0.600000");
    }

    /** Produces the record and polls the access API (on both instances, alternately) until it answers {@code status}. */
    private static long produceAndTimeUntil(Object record, String subAccount, int status) throws Exception {
        long start;
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            if (record instanceof RatedCharge charge) {
                producer.send(topics.chargesRated, charge.getWorkspaceId(), charge);
            } else {
                WalletCommand command = (WalletCommand) record;
                producer.send(topics.walletCommands, command.getWorkspaceId(), command);
            }
            producer.flush();
            start = System.nanoTime();
        }
        int poll = 0;
        while (get(urls.get(poll++ % 2), "/access/" + subAccount).statusCode() != status) {
            if (System.nanoTime() - start > TIMEOUT.toNanos()) {
                throw new AssertionError("access of " + subAccount + " never answered " + status);
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Set<String> ownersOf(List<String> workspaces) {
        Set<String> owners = new HashSet<>();
        for (String workspace : workspaces) {
            KeyQueryMetadata metadata = wallets.get(0).streams().queryMetadataForKey(WalletStores.WALLETS, workspace,
                    Serdes.String().serializer());
            if (metadata != null && metadata != KeyQueryMetadata.NOT_AVAILABLE) {
                owners.add(metadata.activeHost().toString());
            }
        }
        return owners;
    }

    private static HttpResponse<String> get(String base, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static WalletCommand topUp(String commandId, String workspace, String subAccount, long micros) {
        return WalletCommand.newBuilder().setCommandId(commandId).setWorkspaceId(workspace).setSubAccountId(subAccount)
                .setIssuedAt(Instant.now()).setPayload(new TopUp(micros, "USD", "pi_" + commandId, null)).build();
    }

    private static RatedCharge charge(String id, long cost, long price) {
        Instant now = Instant.now();
        return RatedCharge.newBuilder().setChargeId(id).setSourceRef("cdr:it/" + id + "/v1")
                .setWorkspaceId(DemoData.ACME).setSubAccountId("acme-newcomer").setUsageType(UsageType.SMS)
                .setQuantityUnit(QuantityUnit.SEGMENT).setRawQuantity(1).setBillableQuantity(1).setCurrency("USD")
                .setCostMicros(cost).setPriceMicros(price).setRebilled(true).setMultiplierBasisPoints(20_000)
                .setRateId("it").setRateVersion(1).setEventTime(now).setRatedAt(now).setMarginMicros(price - cost)
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
