package io.rebill.wallet.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Workspace ownership shared by every test server, as Kafka Streams' metadata is shared by every
 * instance. A workspace missing from the map has no known owner, as during a rebalance.
 */
final class FakeOwners {

    private final Map<String, HostInfo> owners = new ConcurrentHashMap<>();

    void assign(String workspaceId, HostInfo owner) {
        owners.put(workspaceId, owner);
    }

    /** A new instance's view of the shared map; its own address is set once its server has a port. */
    Lookup lookup() {
        return new Lookup();
    }

    /** A lone instance that owns every workspace, so nothing is forwarded. */
    static OwnerLookup alwaysSelf() {
        HostInfo self = new HostInfo("127.0.0.1", 1);
        return new OwnerLookup() {
            @Override
            public Optional<HostInfo> ownerOfWorkspace(String workspaceId) {
                return Optional.of(self);
            }

            @Override
            public HostInfo self() {
                return self;
            }
        };
    }

    static HostInfo host(WalletHttpServer server) {
        return new HostInfo("127.0.0.1", server.port());
    }

    final class Lookup implements OwnerLookup {

        private volatile HostInfo self;

        void selfIs(WalletHttpServer server) {
            self = host(server);
        }

        @Override
        public Optional<HostInfo> ownerOfWorkspace(String workspaceId) {
            return Optional.ofNullable(owners.get(workspaceId));
        }

        @Override
        public HostInfo self() {
            return self;
        }
    }
}
