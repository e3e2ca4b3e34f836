package io.rebill.wallet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka Streams metadata, as the HTTP layer reads it; no broker, so only the "no owner" states are real. */
class StreamsOwnerLookupTest {

    @Test
    void shouldNameTheActiveHostWhenThePartitionIsAssigned() {
        HostInfo owner = new HostInfo("wallet-2.internal", 7070);
        KeyQueryMetadata metadata = new KeyQueryMetadata(owner, Set.of(new HostInfo("wallet-3.internal", 7070)), 4);

        assertThat(StreamsOwnerLookup.activeOwner(metadata)).contains(owner);
    }

    @Test
    void shouldReportNoOwnerWhenMetadataIsNotAvailable() {
        assertThat(StreamsOwnerLookup.activeOwner(KeyQueryMetadata.NOT_AVAILABLE)).isEmpty();
    }

    @Test
    void shouldReportNoOwnerWhenThereIsNoMetadata() {
        assertThat(StreamsOwnerLookup.activeOwner(null)).isEmpty();
    }

    @Test
    void shouldReportNoOwnerWhenStreamsIsNotStarted(@TempDir Path stateDir) {
        Properties config = config(stateDir);
        try (KafkaStreams streams = new KafkaStreams(topology(), config)) {
            StreamsOwnerLookup lookup = StreamsOwnerLookup.fromConfig(streams, "wallets", config);

            assertThat(lookup.ownerOfWorkspace("acme-agency")).isEmpty();
            assertThat(lookup.self()).isEqualTo(new HostInfo("wallet-1.internal", 7070));
            streams.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldRefuseAConfigWhenApplicationServerIsMissing(@TempDir Path stateDir) {
        Properties config = config(stateDir);
        config.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
        try (KafkaStreams streams = new KafkaStreams(topology(), config)) {
            assertThatThrownBy(() -> StreamsOwnerLookup.fromConfig(streams, "wallets", config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("application.server must be set");
            streams.close(Duration.ofSeconds(5));
        }
    }

    private static org.apache.kafka.streams.Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        return builder.build();
    }

    private static Properties config(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "owner-lookup-test");
        // Nothing listens there: the instance is never started, so no partition is ever assigned.
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "wallet-1.internal:7070");
        return config;
    }
}
