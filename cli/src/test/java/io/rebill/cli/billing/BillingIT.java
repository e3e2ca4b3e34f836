package io.rebill.cli.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rebill.billing.BillingSink;
import io.rebill.billing.BillingSinkApp;
import io.rebill.billing.push.PlatformPushSettings;
import io.rebill.billing.stripe.StripeSettings;
import io.rebill.cli.RebillCli;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.demo.DemoRunner;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.BillingNoticeKind;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.PhoneNumberAction;
import io.rebill.schemas.wallet.PhoneNumberCommand;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.Topics;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.WalletConfig;
import io.rebill.wallet.WalletService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * wallet-stream and billing-sink together on the real broker, Stripe stubbed by WireMock and the
 * platform's push webhook by a local receiver that checks every signature. A client that drains its
 * wallet is refilled from its card on the agency's connected account and allowed again; a client
 * whose card is declined goes On Hold, and when its number's renewal cannot be paid the number is
 * held and, after the (shortened) grace period, released, each step pushed to the platform. A
 * wallet refilled by offline payment gets a notice instead, and the operator's {@code rebill wallet
 * credit} settles it.
 *
 * <p>wallet-stream's wall clock starts a month in the past, so the number bought at the start comes
 * up for renewal when the clock is moved to the present.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Duration MONTH_AGO = Duration.ofDays(-32);
    private static final String WORKSPACE = DemoData.ACME;
    private static final String PAYING_CLIENT = "it-paying-client";
    private static final String DECLINED_CLIENT = "it-declined-client";
    private static final String OFFLINE_CLIENT = "it-offline-client";
    private static final String DECLINED_NUMBER = "+15550100777";
    private static final String CONNECTED_ACCOUNT = "acct_1ItAgency";
    private static final String PUSH_SECRET = "whsec_platform_it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path dataDir;
    static LocalStack stack;
    static Topics topics;
    static WireMockServer stripe;
    static PlatformReceiver platform;
    static ShiftedTime walletTime = new ShiftedTime(MONTH_AGO);
    static WalletService wallet;
    static BillingSink sink;
    static String walletUrl;

    @BeforeAll
    static void startWalletStreamAndBillingSink() throws Exception {
        dataDir = Files.createTempDirectory("rebill-billing-it-");
        stack = new LocalStack(LocalStack.Settings.withFreePorts(dataDir)).startInfrastructure();
        topics = stack.topics();
        new DemoRunner(stack).publishReferenceData();

        stripe = new WireMockServer(wireMockConfig().dynamicPort());
        stripe.start();
        stripe.stubFor(post(urlEqualTo("/v1/payment_intents")).atPriority(5).willReturn(json(200, """
                {"id": "pi_it_paid", "object": "payment_intent", "amount": 2000, "amount_received": 2000,
                 "currency": "usd", "status": "succeeded", "livemode": false}""")));
        stripe.stubFor(post(urlEqualTo("/v1/payment_intents")).withRequestBody(containing("customer=cus_declined"))
                .atPriority(1).willReturn(json(402, """
                {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                  "message": "Your card has insufficient funds."}}""")));
        platform = new PlatformReceiver(PUSH_SECRET);

        int walletPort = freePort();
        Properties walletConfig = stack.walletConfig(walletPort, "wallet");
        walletConfig.put(WalletConfig.NUMBER_GRACE_MS, "3000");
        walletConfig.put(WalletConfig.PUNCTUATE_INTERVAL_MS, "500");
        wallet = WalletService.create(WalletApp.config(walletConfig), walletTime).start();
        walletUrl = "http://127.0.0.1:" + walletPort;

        Properties billingConfig = stack.billingConfig(0, "billing-it");
        billingConfig.put(StripeSettings.API_KEY, "sk_test_billing_it");
        billingConfig.put(StripeSettings.API_BASE, stripe.baseUrl());
        billingConfig.put(StripeSettings.RETRY_INITIAL_MS, "50");
        billingConfig.put(PlatformPushSettings.URL, platform.url());
        billingConfig.put(PlatformPushSettings.SECRET, PUSH_SECRET);
        billingConfig.put(PlatformPushSettings.RETRY_INITIAL_MS, "100");
        sink = BillingSink.create(BillingSinkApp.config(billingConfig)).start();

        await().atMost(TIMEOUT).until(() -> wallet.streams().state() == KafkaStreams.State.RUNNING);
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.walletCommands, WORKSPACE, topUp("it-agency-funds", null, 500_000_000));
            producer.flush();
        }
    }

    @AfterAll
    static void stopAll() {
        if (sink != null) {
            sink.close();
        }
        if (wallet != null) {
            wallet.close();
        }
        if (platform != null) {
            platform.close();
        }
        if (stripe != null) {
            stripe.stop();
        }
        if (stack != null) {
            stack.close();
        }
        if (dataDir != null) {
            LocalStack.wipe(dataDir);
        }
    }

    @Test
    @Order(1)
    void shouldRefillADrainedSubAccountFromItsCardOnTheConnectedAccountAndAllowItAgain() throws Exception {
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.paymentMethods, WORKSPACE + "/" + PAYING_CLIENT,
                    card(PAYING_CLIENT, "cus_paying", "pm_paying"));
            producer.flush();
            producer.send(topics.walletCommands, WORKSPACE, topUp("it-paying-open", PAYING_CLIENT, 1_000_000));
            producer.send(topics.walletCommands, WORKSPACE, refillSettings("it-paying-refill", PAYING_CLIENT));
            producer.send(topics.chargesRated, WORKSPACE, call("it-paying-call-1", PAYING_CLIENT, 600_000, 1_200_000));
            producer.flush();
        }

        await().atMost(TIMEOUT).until(() -> stripeCalls().size() == 1);
        await().atMost(TIMEOUT).until(() -> access(PAYING_CLIENT).path("state").asText().equals("ALLOWED")
                && balance(PAYING_CLIENT) == 1_000_000 - 1_200_000 + 20_000_000);

        LoggedRequest charge = stripeCalls().get(0);
        assertThat(charge.getHeader("Stripe-Account")).isEqualTo(CONNECTED_ACCOUNT);
        assertThat(charge.getHeader("Idempotency-Key")).startsWith("rebill-refill:" + WORKSPACE + "/" + PAYING_CLIENT);
        assertThat(charge.getBodyAsString()).contains("amount=2000", "customer=cus_paying", "off_session=true");
        assertThat(topUpsFor(PAYING_CLIENT)).as("the refill credited once").singleElement()
                .satisfies(topUp -> assertThat(topUp.getPaymentReference()).isEqualTo("pi_it_paid"));
        await().atMost(TIMEOUT).until(() -> platform.of("access.", PAYING_CLIENT).stream()
                .map(e -> e.path("data").path("state").asText()).toList()
                .containsAll(List.of("BLOCKED_SUBACCOUNT_FUNDS", "ALLOWED")));
        List<String> pushed = platform.of("access.", PAYING_CLIENT).stream()
                .map(e -> e.path("data").path("state").asText()).toList();
        assertThat(pushed.lastIndexOf("ALLOWED")).as("allowed again after being blocked, in order: " + pushed)
                .isGreaterThan(pushed.indexOf("BLOCKED_SUBACCOUNT_FUNDS"));
        assertThat(accessHistory(PAYING_CLIENT)).containsSubsequence("BLOCKED_SUBACCOUNT_FUNDS", "ALLOWED");
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sink.httpPort() + "/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void shouldHoldADecliningSubAccountAndReleaseItsUnpaidNumberAfterTheGracePeriod() throws Exception {
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.paymentMethods, WORKSPACE + "/" + DECLINED_CLIENT,
                    card(DECLINED_CLIENT, "cus_declined", "pm_declined"));
            producer.flush();
            producer.send(topics.walletCommands, WORKSPACE, topUp("it-declined-open", DECLINED_CLIENT, 10_000_000));
            producer.send(topics.walletCommands, WORKSPACE, refillSettings("it-declined-refill", DECLINED_CLIENT));
            producer.send(topics.walletCommands, WORKSPACE, buyNumber("it-declined-number", DECLINED_CLIENT));
            producer.flush();
        }
        await().atMost(TIMEOUT).until(() -> numberStates().contains("ACTIVE"));
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.chargesRated, WORKSPACE,
                    call("it-declined-call-1", DECLINED_CLIENT, 5_000_000, 10_000_000));
            producer.flush();
        }

        await().atMost(TIMEOUT).until(() -> access(DECLINED_CLIENT).path("state").asText().equals("ON_HOLD"));
        assertThat(refillFailuresFor(DECLINED_CLIENT)).first().satisfies(failed -> {
            assertThat(failed.getFailureCode()).isEqualTo("card_declined");
            assertThat(failed.getDeclineCode()).isEqualTo("insufficient_funds");
        });
        await().atMost(TIMEOUT).until(() -> platform.of("access.", DECLINED_CLIENT).stream()
                .anyMatch(e -> e.path("data").path("state").asText().equals("ON_HOLD")));

        // A month on: the renewal is due, the client cannot pay, the number is held, then released.
        walletTime.setOffset(Duration.ZERO);
        await().atMost(TIMEOUT).until(() -> numberStates().contains("RELEASED"));
        await().atMost(TIMEOUT).until(() -> platform.of("number.", DECLINED_NUMBER).stream()
                .anyMatch(e -> e.path("type").asText().equals("number.released")));

        List<String> numberEvents = platform.of("number.", DECLINED_NUMBER).stream()
                .map(e -> e.path("type").asText()).distinct().toList();
        assertThat(numberEvents).containsSubsequence("number.on_hold", "number.released");
        JsonNode released = platform.of("number.released", DECLINED_NUMBER).get(0);
        assertThat(released.path("data").path("subAccountId").asText()).isEqualTo(DECLINED_CLIENT);
        assertThat(released.path("id").asText()).isNotBlank();
        assertThat(platform.badSignatures.get()).isZero();
        assertThat(topUpsFor(DECLINED_CLIENT)).as("a declined card credits nothing").isEmpty();
        assertThat(numberStates()).containsSubsequence("ACTIVE", "ON_HOLD", "RELEASED");
    }

    @Test
    @Order(3)
    void shouldSettleAnOfflineWalletsRefillWithTheOperatorsCreditFromTheCli() throws Exception {
        int stripeCallsBefore = stripeCalls().size();
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.walletCommands, WORKSPACE, topUp("it-offline-open", OFFLINE_CLIENT, 1_000_000));
            producer.send(topics.walletCommands, WORKSPACE, command("it-offline-refill", OFFLINE_CLIENT,
                    RefillSettings.newBuilder().setEnabled(true).setCurrency("USD").setThresholdMicros(500_000)
                            .setRefillAmountMicros(15_000_000L).setOfflinePayment(true).build()));
            producer.send(topics.chargesRated, WORKSPACE, call("it-offline-call-1", OFFLINE_CLIENT, 400_000, 800_000));
            producer.flush();
        }
        await().atMost(TIMEOUT).until(() -> offlineNotices().size() == 1);
        BillingNotice notice = offlineNotices().get(0);
        assertThat(notice.getKind()).isEqualTo(BillingNoticeKind.AWAITING_OFFLINE_PAYMENT);
        assertThat(notice.getAmountMicros()).isEqualTo(15_000_000);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RebillCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("wallet", "credit", "--workspace", WORKSPACE, "--sub-account", OFFLINE_CLIENT,
                "--amount", "15.00", "--currency", "USD", "--reference", "BANK-IT-1",
                "--refill-request", notice.getRefillRequestId(),
                "--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.registryUrl());

        assertThat(exit).as(out + "\n" + err).isZero();
        await().atMost(TIMEOUT).until(() -> balance(OFFLINE_CLIENT) == 1_000_000 - 800_000 + 15_000_000);
        // The credit closed the outstanding refill: the next shortfall asks again, under a new id.
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.chargesRated, WORKSPACE,
                    call("it-offline-call-2", OFFLINE_CLIENT, 7_500_000, 15_000_000));
            producer.flush();
        }
        await().atMost(TIMEOUT).until(() -> offlineNotices().size() == 2);
        assertThat(offlineNotices()).extracting(BillingNotice::getRefillRequestId).doesNotHaveDuplicates();
        assertThat(stripeCalls()).as("no card is charged for an offline wallet").hasSize(stripeCallsBefore);
    }

    private static List<BillingNotice> offlineNotices() {
        return TopicReader.readAll(stack.clientConfig(), topics.billingNotices, TIMEOUT).stream()
                .map(ConsumerRecord::value).filter(n -> OFFLINE_CLIENT.equals(n.getSubAccountId())).toList();
    }

    private static List<LoggedRequest> stripeCalls() {
        return stripe.findAll(postRequestedFor(urlEqualTo("/v1/payment_intents")));
    }

    private static List<WalletCommand> commandsFor(String subAccount) {
        return TopicReader.readAll(stack.clientConfig(), topics.walletCommands, TIMEOUT).stream()
                .map(ConsumerRecord::value).filter(c -> subAccount.equals(c.getSubAccountId())).toList();
    }

    private static List<TopUp> topUpsFor(String subAccount) {
        return commandsFor(subAccount).stream().filter(c -> c.getPayload() instanceof TopUp)
                .filter(c -> "billing-sink".equals(c.getIssuedBy()))
                .map(c -> (TopUp) c.getPayload()).toList();
    }

    private static List<RefillFailed> refillFailuresFor(String subAccount) {
        return commandsFor(subAccount).stream().filter(c -> c.getPayload() instanceof RefillFailed)
                .map(c -> (RefillFailed) c.getPayload()).toList();
    }

    private static List<String> accessHistory(String subAccount) {
        return TopicReader.readAll(stack.clientConfig(), topics.walletAccess, TIMEOUT).stream()
                .map(ConsumerRecord::value).filter(a -> subAccount.equals(a.getSubAccountId()))
                .map(AccessStatus::getState).map(Enum::name).toList();
    }

    private static List<String> numberStates() {
        return TopicReader.readAll(stack.clientConfig(), topics.walletNumbers, TIMEOUT).stream()
                .map(ConsumerRecord::value).filter(n -> DECLINED_NUMBER.equals(n.getNumber()))
                .map(n -> n.getState().name()).toList();
    }

    private static JsonNode access(String subAccount) throws Exception {
        HttpResponse<String> response = get("/access/" + subAccount);
        return response.statusCode() == 404 ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static long balance(String subAccount) throws Exception {
        HttpResponse<String> response = get("/workspaces/" + WORKSPACE + "/sub-accounts/" + subAccount);
        return response.statusCode() == 200
                ? JSON.readTree(response.body()).path("wallet").path("balanceMicros").asLong() : Long.MIN_VALUE;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(walletUrl + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WalletCommand topUp(String id, String subAccount, long micros) {
        return command(id, subAccount, new TopUp(micros, "USD", "manual-" + id, null));
    }

    private static WalletCommand refillSettings(String id, String subAccount) {
        return command(id, subAccount, RefillSettings.newBuilder().setEnabled(true).setCurrency("USD")
                .setThresholdMicros(500_000).setRefillAmountMicros(20_000_000L).build());
    }

    private static WalletCommand buyNumber(String id, String subAccount) {
        return command(id, subAccount, PhoneNumberCommand.newBuilder().setNumber(DECLINED_NUMBER)
                .setAction(PhoneNumberAction.PURCHASE).setMonthlyFeeMicros(1_150_000).setCurrency("USD").build());
    }

    private static WalletCommand command(String id, String subAccount, Object payload) {
        return WalletCommand.newBuilder().setCommandId(id).setWorkspaceId(WORKSPACE).setSubAccountId(subAccount)
                .setIssuedAt(Instant.now()).setIssuedBy("billing-it").setPayload(payload).build();
    }

    private static PaymentMethodOnFile card(String subAccount, String customer, String method) {
        return PaymentMethodOnFile.newBuilder().setWalletId(WORKSPACE + "/" + subAccount).setWorkspaceId(WORKSPACE)
                .setSubAccountId(subAccount).setStripeAccountId(CONNECTED_ACCOUNT).setCustomerId(customer)
                .setPaymentMethodId(method).setUpdatedAt(Instant.now()).build();
    }

    private static RatedCharge call(String id, String subAccount, long cost, long price) {
        Instant now = Instant.now();
        return RatedCharge.newBuilder().setChargeId(id).setSourceRef("cdr:it/" + id + "/v1")
                .setWorkspaceId(WORKSPACE).setSubAccountId(subAccount).setUsageType(UsageType.VOICE)
                .setQuantityUnit(QuantityUnit.SECOND).setRawQuantity(600).setBillableQuantity(600).setCurrency("USD")
                .setCostMicros(cost).setPriceMicros(price).setRebilled(true).setMultiplierBasisPoints(20_000)
                .setRateId("it").setRateVersion(1).setEventTime(now).setRatedAt(now).setMarginMicros(price - cost)
                .build();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
