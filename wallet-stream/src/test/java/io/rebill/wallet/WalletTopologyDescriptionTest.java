package io.rebill.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.serde.MockSchemaRegistry;
import io.rebill.topics.Topics;
import io.rebill.wallet.processor.WalletProcessor;
import io.rebill.wallet.processor.WalletStores;
import java.util.Map;
import java.util.Set;
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
    void shouldNameEveryNodeAndShareBothStoresBetweenProcessorsInOneSubtopology() {
        Topics topics = Topics.create(Map.of("schema.registry.url", MockSchemaRegistry.URL_PREFIX + SCOPE));

        TopologyDescription description = WalletTopology.build(topics).describe();

        assertThat(description.subtopologies()).hasSize(1);
        Map<String, TopologyDescription.Node> nodes = description.subtopologies().iterator().next().nodes().stream()
                .collect(Collectors.toMap(TopologyDescription.Node::name, node -> node));
        assertThat(nodes.keySet()).containsExactlyInAnyOrder(WalletTopology.CHARGES_SOURCE,
                WalletTopology.COMMANDS_SOURCE, WalletTopology.CHARGE_PROCESSOR, WalletTopology.COMMAND_PROCESSOR,
                WalletProcessor.LEDGER_SINK, WalletProcessor.BALANCES_SINK, WalletProcessor.REJECTED_SINK);
        Set<String> stores = Set.of(WalletStores.WALLETS, WalletStores.APPLIED_REFERENCES);
        assertThat(((TopologyDescription.Processor) nodes.get(WalletTopology.CHARGE_PROCESSOR)).stores())
                .isEqualTo(stores);
        assertThat(((TopologyDescription.Processor) nodes.get(WalletTopology.COMMAND_PROCESSOR)).stores())
                .isEqualTo(stores);
        assertThat(((TopologyDescription.Source) nodes.get(WalletTopology.CHARGES_SOURCE)).topicSet())
                .containsExactly("metering.charges.rated");
        assertThat(((TopologyDescription.Sink) nodes.get(WalletProcessor.BALANCES_SINK)).topic())
                .isEqualTo("wallet.balances");
    }
}
