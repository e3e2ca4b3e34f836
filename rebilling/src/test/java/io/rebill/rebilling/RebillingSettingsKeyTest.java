package io.rebill.rebilling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.rating.RebillingSettings;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RebillingSettingsKeyTest {

    private static RebillingSettings settings(String workspaceId, String subAccountId) {
        return RebillingSettings.newBuilder().setWorkspaceId(workspaceId).setSubAccountId(subAccountId)
                .setRebillingEnabled(true).setUpdatedAt(Instant.EPOCH).build();
    }

    @Test
    void shouldKeyByWorkspaceWhenSettingsAreTheWorkspaceDefault() {
        assertThat(RebillingSettingsKey.of(settings("ws-1", null))).isEqualTo("ws-1");
        assertThat(RebillingSettingsKey.forWorkspace("ws-1")).isEqualTo("ws-1");
    }

    @Test
    void shouldKeyByWorkspaceSlashSubAccountWhenSettingsAreASubAccounts() {
        assertThat(RebillingSettingsKey.of(settings("ws-1", "sa-9"))).isEqualTo("ws-1/sa-9");
        assertThat(RebillingSettingsKey.forSubAccount("ws-1", "sa-9")).isEqualTo("ws-1/sa-9");
    }

    @Test
    void shouldRefuseWorkspaceIdWhenItContainsTheSeparator() {
        assertThatThrownBy(() -> RebillingSettingsKey.forWorkspace("ws/1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseBlankIdsWhenKeying() {
        assertThatThrownBy(() -> RebillingSettingsKey.forWorkspace(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RebillingSettingsKey.forSubAccount("ws-1", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
