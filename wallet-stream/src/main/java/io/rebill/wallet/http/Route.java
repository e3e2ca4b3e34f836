package io.rebill.wallet.http;

/**
 * One request to wallet-stream's HTTP API, already validated (see {@link Routes#parse}). Routes
 * under {@code /workspaces/{ws}} are {@link WorkspaceRoute}s: only the instance that owns the
 * workspace's partition can answer them.
 */
sealed interface Route {

    /** A route answered from workspace-partitioned state, so by one instance only. */
    sealed interface WorkspaceRoute extends Route {
        String workspaceId();
    }

    record Health() implements Route {
    }

    /** Readiness: Kafka Streams is RUNNING. */
    record Ready() implements Route {
    }

    /** Prometheus text format. */
    record Metrics() implements Route {
    }

    /** Access statuses are in a global store: every instance answers. */
    record Access(String subAccountId) implements Route {
    }

    record Workspace(String workspaceId) implements WorkspaceRoute {
    }

    record SubAccount(String workspaceId, String subAccountId) implements WorkspaceRoute {
    }

    record Usage(String workspaceId, String subAccountId) implements WorkspaceRoute {
    }

    /**
     * @param subAccountId null for the workspace wallet's ledger
     * @param before only entries with a lower sequence; null for the newest
     */
    record Ledger(String workspaceId, String subAccountId, int limit, Long before) implements WorkspaceRoute {

        /** The wallet id as the ledger is keyed: {@code ws} or {@code ws/sa}. */
        String walletId() {
            return subAccountId == null ? workspaceId : workspaceId + "/" + subAccountId;
        }
    }
}
