package io.rebill.rebilling;

import io.rebill.schemas.rating.RebillingSettings;

/**
 * The key of {@code metering.rebilling-settings}: {@code workspaceId} for a workspace's default,
 * {@code workspaceId/subAccountId} for one sub-account's own settings. Whoever publishes settings
 * (the CLI) keys them with {@link #of(RebillingSettings)}; rating looks up the sub-account key
 * first, then the workspace key.
 */
public final class RebillingSettingsKey {

    private static final char SEPARATOR = '/';

    private RebillingSettingsKey() {
    }

    /** The key a settings record is published under. */
    public static String of(RebillingSettings settings) {
        String subAccountId = settings.getSubAccountId();
        return subAccountId == null
                ? forWorkspace(settings.getWorkspaceId())
                : forSubAccount(settings.getWorkspaceId(), subAccountId);
    }

    /** The key of a workspace's default settings. */
    public static String forWorkspace(String workspaceId) {
        requireId("workspaceId", workspaceId);
        // A '/' in a workspace id would make its default collide with another workspace's sub-account.
        if (workspaceId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("workspaceId must not contain '" + SEPARATOR + "': '" + workspaceId + "'");
        }
        return workspaceId;
    }

    /** The key of one sub-account's own settings. */
    public static String forSubAccount(String workspaceId, String subAccountId) {
        requireId("subAccountId", subAccountId);
        return forWorkspace(workspaceId) + SEPARATOR + subAccountId;
    }

    private static void requireId(String name, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
