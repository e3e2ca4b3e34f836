package io.rebill.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.cli.DemoStackExtension;
import io.rebill.cli.demo.DemoData;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.wallet.RefillSettings;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator commands in-process against a real local stack (broker, registry and the three
 * services, with the demo's reference data): each one does what it says on the real thing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCommandsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Calls within the demo rate card's validity, whatever today is. */
    private static final String SINCE = "2026-11-10T00:00:00Z";

    @RegisterExtension
    static final DemoStackExtension DEMO_STACK = new DemoStackExtension();

    static LocalStack stack;

    @BeforeAll
    static void stack() {
        stack = DEMO_STACK.stack();
    }

    @Test
    @Order(1)
    void topicsCreateFindsEveryCatalogTopicAlreadyThere() {
        CliRun run = rebill("topics", "create");

        assertThat(run.exitCode).as(run.toString()).isZero();
        int catalog = stack.topics().all().size();
        assertThat(run.out).endsWith(catalog + " topics in the catalog: 0 created, " + catalog + " already existed\n");
        assertThat(run.out).doesNotContain("created       ");
    }

    @Test
    @Order(2)
    void produceCdrsSendsTwoHundredCdrsThatKafkaAcknowledges() {
        CliRun run = rebill("produce", "cdrs", "--count", "200", "--rate", "0", "--seed", "6", "--since", SINCE);

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("sent          200 of 200 CDRs to metering.cdr.raw\n")
                .contains("acknowledged  200\n").contains("errors        0\n");
        List<ConsumerRecord<String, CallDetailRecord>> onTopic = TopicReader.readAll(stack.clientConfig(),
                stack.topics().cdrRaw, TIMEOUT).stream()
                .filter(r -> r.value().getCdrId().startsWith("load-6-20261110T000000Z-")).toList();
        assertThat(onTopic).hasSize(200);
        assertThat(onTopic).allSatisfy(r -> assertThat(r.key())
                .isEqualTo(r.value().getCarrierId() + ":" + r.value().getCdrId()));
    }

    @Test
    @Order(3)
    void tailPrintsFiveRatedChargesAsJsonLines() throws Exception {
        CliRun run = rebill("tail", "metering.charges.rated", "--from-beginning", "--max", "5", "--timeout", "120");

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines).hasSize(5);
        for (String line : lines) {
            JsonNode charge = JSON.readTree(line);
            assertThat(charge.path("topic").asText()).isEqualTo("metering.charges.rated");
            assertThat(charge.path("value").path("chargeId").asText()).isNotBlank();
            assertThat(charge.path("key").asText()).isEqualTo(charge.path("value").path("workspaceId").asText());
            assertThat(charge.path("value").path("costMicros").isIntegralNumber()).isTrue();
            assertThat(charge.has("partition") && charge.has("offset") && charge.has("timestamp")).isTrue();
        }
        assertThat(run.err).isEqualTo("rebill tail: stopped after 5 records (--max)\n");
    }

    @Test
    @Order(4)
    void walletShowPrintsTheWorkspaceAndSaysWhenThereIsNoSuchWorkspace() {
        List<CliRun> runs = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            CliRun run = rebill("wallet", "show", "--workspace", DemoData.ACME);
            runs.add(run);
            return run.exitCode == 0;
        });
        CliRun shown = runs.get(runs.size() - 1);
        CliRun unknown = rebill("wallet", "show", "--workspace", "no-such-agency");

        assertThat(shown.out).startsWith("Workspace acme-agency\n").contains("  Balance           USD ")
                .contains("acme-dental").contains("Latest ledger entries of acme-agency (newest first):");
        assertThat(unknown.exitCode).isEqualTo(1);
        assertThat(unknown.err).startsWith("rebill: no such workspace 'no-such-agency' at " + stack.walletUrl());
    }

    @Test
    @Order(5)
    void walletSettingsReachWalletCommands() {
        CliRun run = rebill("wallet", "settings", "--workspace", DemoData.ACME, "--sub-account", "acme-dental",
                "--currency", "USD", "--threshold", "10", "--refill-amount", "50", "--offline");

        assertThat(run.exitCode).as(run.toString()).isZero();
        String commandId = run.out.substring(run.out.lastIndexOf(' ') + 1).strip();
        ConsumerRecord<String, WalletCommand> written = find(stack.topics().walletCommands, commandId);
        assertThat(written.key()).isEqualTo(DemoData.ACME);
        assertThat(written.value().getSubAccountId()).isEqualTo("acme-dental");
        assertThat(written.value().getPayload()).isEqualTo(RefillSettings.newBuilder().setEnabled(true)
                .setCurrency("USD").setThresholdMicros(10_000_000L).setRefillAmountMicros(50_000_000L)
                .setOfflinePayment(true).build());
    }

    @Test
    @Order(6)
    void rebillingSetReachesTheRebillingSettingsTopic() {
        CliRun run = rebill("rebilling", "set", "--workspace", DemoData.ACME, "--sub-account", "acme-newcomer",
                "--voice", "2", "--sms", "1.5");

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<ConsumerRecord<String, RebillingSettings>> records = TopicReader.readAll(stack.clientConfig(),
                stack.topics().rebillingSettings, TIMEOUT).stream()
                .filter(r -> r.key().equals("acme-agency/acme-newcomer")).toList();
        assertThat(records).hasSize(1);
        RebillingSettings settings = records.get(0).value();
        assertThat(settings.getVoiceMultiplierBasisPoints()).isEqualTo(20_000);
        assertThat(settings.getSmsMultiplierBasisPoints()).isEqualTo(15_000);
        assertThat(settings.getVoiceAiMultiplierBasisPoints()).isEqualTo(10_500);
        assertThat(settings.getRebillingEnabled()).isTrue();
    }

    private static <V> ConsumerRecord<String, V> find(Topic<String, V> topic, String commandId) {
        return TopicReader.readAll(stack.clientConfig(), topic, TIMEOUT).stream()
                .filter(r -> r.value() instanceof WalletCommand c && c.getCommandId().equals(commandId))
                .findFirst().orElseThrow(() -> new AssertionError("no command " + commandId + " on " + topic.name()));
    }

    private static CliRun rebill(String... args) {
        String[] withStack = Stream.concat(Stream.of(args), Stream.of("--bootstrap-servers", stack.bootstrapServers(),
                "--registry-url", stack.registryUrl())).toArray(String[]::new);
        if (args[0].equals("wallet") && args[1].equals("show")) {
            withStack = Stream.concat(Stream.of(args), Stream.of("--wallet-url", stack.walletUrl()))
                    .toArray(String[]::new);
        }
        return CliRun.of(withStack);
    }
}
