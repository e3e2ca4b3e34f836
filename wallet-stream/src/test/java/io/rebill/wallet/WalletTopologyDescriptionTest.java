package io.rebill.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topics;
import io.rebill.wallet.processor.WalletStores;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The names state and offsets hang on: renaming any of them is a breaking change for a running deployment. */
class WalletTopologyDescriptionTest {

    private static final String SCOPE = "wallet-topology-description";

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldNameEveryNodeAndGiveTheOneProcessorAllItsStores() {
        Topics topics = Topics.create(Map.of("schema.registry.url", MockSchemaRegistry.URL_PREFIX + SCOPE));

        TopologyDescription description = WalletTopology.build(topics).describe();

        assertThat(description.toString()).doesNotContain("KSTREAM-", "KTABLE-");
        assertThat(description.subtopologies()).hasSize(1);
        Map<String, TopologyDescription.Node> nodes = description.subtopologies().iterator().next().nodes().stream()
                .collect(Collectors.toMap(TopologyDescription.Node::name, node -> node));
        assertThat(((TopologyDescription.Processor) nodes.get(WalletTopology.APPLY_PROCESSOR)).stores())
                .containsExactlyInAnyOrder(WalletStores.WALLETS, WalletStores.APPLIED_REFERENCES,
                        WalletStores.APPLIED_CHARGES, WalletStores.ALLOWANCES, WalletStores.NUMBERS,
                        WalletStores.LEDGER, WalletStores.DAILY_USAGE);
        assertThat(((TopologyDescription.Source) nodes.get("wallet-charges-source")).topicSet())
                .containsExactly("metering.charges.rated");
        assertThat(((TopologyDescription.Source) nodes.get("wallet-commands-source")).topicSet())
                .containsExactly("wallet.commands");
        assertThat(((TopologyDescription.Sink) nodes.get("wallet-balances-sink")).topic()).isEqualTo("wallet.balances");
        assertThat(((TopologyDescription.Sink) nodes.get("wallet-access-sink")).topic()).isEqualTo("wallet.access");
        assertThat(((TopologyDescription.Sink) nodes.get("wallet-refills-sink")).topic())
                .isEqualTo("billing.refill.requested");
        assertThat(description.globalStores()).extracting(g -> g.source().topicSet().iterator().next())
                .containsExactlyInAnyOrder("metering.rebilling-settings", "wallet.plans", "wallet.access");
    }
}
