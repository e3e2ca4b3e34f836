package io.rebill.wallet.http;

import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where a workspace's wallet state lives, for the HTTP layer of wallet-stream. Every wallet store
 * is partitioned by workspace id, so exactly one instance can answer for a workspace; this seam
 * names it, and lets tests route between servers without a Kafka cluster.
 */
public interface OwnerLookup {

    /**
     * The instance that actively owns the workspace's partition, as its {@code application.server}.
     *
     * @return empty when no owner is known right now, e.g. during a rebalance
     */
    Optional<HostInfo> ownerOfWorkspace(String workspaceId);

    /** This instance, as its {@code application.server}; compared with {@link #ownerOfWorkspace}. */
    HostInfo self();
}
