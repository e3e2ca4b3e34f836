package io.rebill.cli.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rebill.billing.BillingSink;
import io.rebill.billing.BillingSinkApp;
import io.rebill.billing.stripe.StripeSettings;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.Topics;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * billing-sink killed between Stripe's answer and the Kafka commit, then restarted: the requests
 * are read again, charged again under the same idempotency keys (Stripe answers from the first
 * charge), and each is credited exactly once. The dead process had already written the first
 * request's top-up into its open transaction; read_committed readers never see it.
 */
class BillingSinkCrashIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String WORKSPACE = "crash-agency";
    private static final List<String> REQUESTS = List.of("refill:crash-agency:1", "refill:crash-agency:2");

    static Path dataDir;
    static LocalStack stack;
    static Topics topics;
    static WireMockServer stripe;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        dataDir = Files.createTempDirectory("rebill-crash-it-");
        stack = new LocalStack(LocalStack.Settings.withFreePorts(dataDir)).startInfrastructure();
        topics = stack.topics();
        stripe = new WireMockServer(wireMockConfig().dynamicPort());
        stripe.start();
        stripe.stubFor(post(urlEqualTo("/v1/payment_intents")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id": "pi_crash", "object": "payment_intent", "amount": 3000, "amount_received": 3000,
                         "currency": "usd", "status": "succeeded", "livemode": false}""")));
    }

    @AfterAll
    static void stopAll() {
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
    void shouldChargeUnderOneKeyAndCreditOnceWhenKilledBetweenThePaymentAndTheCommit() throws Exception {
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            producer.send(topics.paymentMethods, WORKSPACE, PaymentMethodOnFile.newBuilder().setWalletId(WORKSPACE)
                    .setWorkspaceId(WORKSPACE).setCustomerId("cus_crash").setPaymentMethodId("pm_crash")
                    .setUpdatedAt(Instant.now()).build());
            producer.flush();
            for (String id : REQUESTS) {
                producer.send(topics.refillRequested, WORKSPACE, RefillRequest.newBuilder().setRequestId(id)
                        .setWalletId(WORKSPACE).setWorkspaceId(WORKSPACE).setAmountMicros(30_000_000)
                        .setCurrency("USD").setBalanceMicros(0).setThresholdMicros(5_000_000)
                        .setRequestedAt(Instant.now()).build());
            }
            producer.flush();
        }
        Properties config = stack.billingConfig(-1, "crash-it");
        config.put(StripeSettings.API_KEY, "sk_test_crash");
        config.put(StripeSettings.API_BASE, stripe.baseUrl());
        Path configFile = dataDir.resolve("billing-sink.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "billing-sink for BillingSinkCrashIT");
        }

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingBillingSinkMain.class.getName(),
                configFile.toString(), "2")
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("crashing-sink.log").toFile()).start();
        assertThat(child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the sink died").isTrue();
        assertThat(child.exitValue()).isEqualTo(CrashingBillingSinkMain.HALTED);
        assertThat(stripeCalls()).as("both requests charged before the crash").hasSize(2);
        assertThat(topUps()).as("nothing committed by the killed sink").isEmpty();

        try (BillingSink restarted = BillingSink.create(BillingSinkApp.config(config)).start()) {
            await().atMost(TIMEOUT).until(() -> restarted.refills().charged.get() == 2);
        }

        Map<String, List<String>> keysByRequest = stripeCalls().stream().collect(Collectors.groupingBy(
                r -> r.getHeader("Idempotency-Key"), Collectors.mapping(r -> r.getUrl(), Collectors.toList())));
        assertThat(keysByRequest).as("one key per request, each sent once before and once after the crash")
                .containsOnlyKeys(REQUESTS.stream().map(id -> "rebill-" + id).toList())
                .allSatisfy((key, calls) -> assertThat(calls).hasSize(2));
        assertThat(topUps()).extracting(TopUp::getRefillRequestId).as("exactly one credit per request")
                .containsExactlyInAnyOrderElementsOf(REQUESTS);
        assertThat(TopicReader.readAll(stack.clientConfig(), topics.refillOutcomes, TIMEOUT)).map(ConsumerRecord::value)
                .extracting(RefillOutcome::getStatus).containsExactly(RefillOutcomeStatus.SUCCEEDED,
                        RefillOutcomeStatus.SUCCEEDED);
    }

    private static List<LoggedRequest> stripeCalls() {
        return stripe.findAll(postRequestedFor(urlEqualTo("/v1/payment_intents")));
    }

    private static List<TopUp> topUps() {
        return TopicReader.readAll(stack.clientConfig(), topics.walletCommands, TIMEOUT).stream()
                .map(ConsumerRecord::value).map(WalletCommand::getPayload).filter(TopUp.class::isInstance)
                .map(TopUp.class::cast).toList();
    }
}
