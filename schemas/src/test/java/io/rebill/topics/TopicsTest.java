package io.rebill.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.serde.AvroSerdeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private final Topics topics = Topics.create(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://topics-test"));

    @Test
    void shouldNameTopicsWithDotsBetweenAndHyphensInsideSegments() {
        assertThat(topics.all()).extracting(Topic::name).contains("metering.cdr.raw", "metering.charges.rated",
                "wallet.commands", "wallet.ledger", "wallet.balances", "wallet.access", "billing.refill.requested")
                .allMatch(name -> !name.contains("_"))
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldCoPartitionChargesAndCommandsForTheWalletStream() {
        assertThat(topics.chargesRated.partitions()).isEqualTo(topics.walletCommands.partitions());
    }

    @Test
    void shouldCompactLatestValueTopics() {
        assertThat(topics.all()).filteredOn(t -> t.cleanupPolicy() == CleanupPolicy.COMPACT)
                .extracting(Topic::name)
                .containsExactlyInAnyOrder("metering.rate-card", "metering.rebilling-settings",
                        "wallet.balances", "wallet.access", "wallet.plans", "wallet.numbers", "wallet.usage.daily",
                        "billing.payment-methods", "billing.refill-outcomes");
        assertThat(topics.walletBalances.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void shouldRefuseUnderscoresInTopicNames() {
        assertThatThrownBy(() -> new Topic<>("wallet.top_ups", null, null, 1, CleanupPolicy.DELETE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hyphens inside a segment");
    }
}
