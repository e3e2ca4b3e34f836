package io.rebill.wallet.http;

import io.rebill.metrics.HealthProbe;
import io.rebill.metrics.ServiceMetrics;
import io.rebill.wallet.query.AccessView;
import io.rebill.wallet.query.WalletReadModel;
import java.util.Map;
import java.util.Optional;

/**
 * Answers a {@link Route} from this instance's {@link WalletReadModel}. By the time a workspace
 * route gets here, {@link WalletHttpServer} has checked that this instance owns the workspace.
 */
final class LocalAnswers {

    private final WalletReadModel readModel;
    private final HealthProbe probe;
    private final ServiceMetrics metrics;

    /** @param metrics null when this server has none: {@code /metrics} answers 404 */
    LocalAnswers(WalletReadModel readModel, HealthProbe probe, ServiceMetrics metrics) {
        this.readModel = readModel;
        this.probe = probe;
        this.metrics = metrics;
    }

    Reply answer(Route route) {
        if (route instanceof Route.Health) {
            HealthProbe.Health health = probe.check();
            return Reply.json(health.livenessStatus(), health.livenessBody());
        }
        if (route instanceof Route.Ready) {
            HealthProbe.Health health = probe.check();
            return Reply.json(health.readinessStatus(), health.readinessBody());
        }
        if (route instanceof Route.Metrics) {
            if (metrics == null) {
                throw ApiException.notFound("no metrics on this server");
            }
            return new Reply(200, ServiceMetrics.CONTENT_TYPE, metrics.scrapeBytes(), Map.of());
        }
        if (route instanceof Route.Access access) {
            return access(access.subAccountId());
        }
        if (route instanceof Route.Workspace ws) {
            return found(readModel.workspace(ws.workspaceId()),
                    "workspace " + ws.workspaceId() + " not found");
        }
        if (route instanceof Route.SubAccount sa) {
            return found(readModel.subAccount(sa.workspaceId(), sa.subAccountId()),
                    "sub-account " + sa.subAccountId() + " not found in workspace " + sa.workspaceId());
        }
        if (route instanceof Route.Usage usage) {
            return found(readModel.usage(usage.workspaceId(), usage.subAccountId()),
                    "no usage for sub-account " + usage.subAccountId() + " in workspace " + usage.workspaceId());
        }
        if (route instanceof Route.Ledger ledger) {
            return found(readModel.ledger(ledger.walletId(), ledger.limit(), ledger.before()),
                    "wallet " + ledger.walletId() + " not found");
        }
        throw new IllegalStateException("no local answer for " + route);
    }

    /** 403 still carries the status: the caller needs the state and the reason to show the user. */
    private Reply access(String subAccountId) {
        Optional<AccessView> view = readModel.access(subAccountId);
        if (view.isEmpty()) {
            throw ApiException.notFound("no access status for sub-account " + subAccountId);
        }
        return Reply.json(view.get().allowed() ? 200 : 403, view.get());
    }

    private static Reply found(Optional<?> view, String notFound) {
        return Reply.json(200, view.orElseThrow(() -> ApiException.notFound(notFound)));
    }
}
