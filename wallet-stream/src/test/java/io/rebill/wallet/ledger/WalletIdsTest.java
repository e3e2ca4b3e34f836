package io.rebill.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalletIdsTest {

    @Test
    void shouldUseWorkspaceIdAsWorkspaceWalletId() {
        assertThat(WalletIds.workspace("ws-1")).isEqualTo("ws-1");
    }

    @Test
    void shouldJoinWorkspaceAndSubAccountWithSlashForSubAccountWalletId() {
        assertThat(WalletIds.subAccount("ws-1", "sub-9")).isEqualTo("ws-1/sub-9");
    }
}
