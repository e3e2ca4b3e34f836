package io.rebill.wallet.http;

import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OwnerLookup} over wallet-stream's own {@link KafkaStreams}: asks the Streams metadata which
 * instance actively owns the partition of a workspace id in the given store (wallet-stream's
 * {@code "wallets"}). The key serializer is the String serializer, so the partition is the one the
 * default partitioner picked when the workspace's records were produced.
 */
public final class StreamsOwnerLookup implements OwnerLookup {

    private static final Logger log = LoggerFactory.getLogger(StreamsOwnerLookup.class);

    private final KafkaStreams streams;
    private final String storeName;
    private final HostInfo self;
    private final Serializer<String> keySerializer = Serdes.String().serializer();

    /**
     * @param self this instance's {@code application.server}; Kafka Streams does not expose its own
     *             endpoint, and the metadata it returns is compared with this value
     */
    public StreamsOwnerLookup(KafkaStreams streams, String storeName, HostInfo self) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.self = Objects.requireNonNull(self, "self");
    }

    /** A lookup whose {@link #self()} is the {@code application.server} of the Streams config. */
    public static StreamsOwnerLookup fromConfig(KafkaStreams streams, String storeName, Properties streamsConfig) {
        String endpoint = streamsConfig.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.APPLICATION_SERVER_CONFIG
                    + " must be set (host:port) for requests to reach the instance that owns a workspace");
        }
        return new StreamsOwnerLookup(streams, storeName, HostInfo.buildFromEndpoint(endpoint));
    }

    @Override
    public Optional<HostInfo> ownerOfWorkspace(String workspaceId) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(storeName, workspaceId, keySerializer);
        } catch (StreamsNotStartedException | IllegalStateException e) {
            // Before start and after shutdown there is no owner to name; the caller answers "retry".
            log.debug("No owner for workspace {}: Kafka Streams is {}", workspaceId, streams.state(), e);
            return Optional.empty();
        }
        return activeOwner(metadata);
    }

    @Override
    public HostInfo self() {
        return self;
    }

    /** The active host, or empty while Streams has no answer: null before the first assignment, NOT_AVAILABLE while rebalancing. */
    static Optional<HostInfo> activeOwner(KeyQueryMetadata metadata) {
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return Optional.empty();
        }
        HostInfo active = metadata.activeHost();
        if (active == null || HostInfo.unavailable().equals(active)) {
            return Optional.empty();
        }
        return Optional.of(active);
    }
}
