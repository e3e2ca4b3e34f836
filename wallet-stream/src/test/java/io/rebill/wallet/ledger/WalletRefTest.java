package io.rebill.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalletRefTest {

    @Test
    void shouldBeWorkspaceWalletWhenSubAccountIsNull() {
        WalletRef ref = WalletRef.workspace("ws-1");

        assertThat(ref.isWorkspace()).isTrue();
        assertThat(ref.walletId()).isEqualTo(WalletIds.workspace("ws-1"));
        assertThat(ref.entrySuffix()).isEqualTo("workspace");
    }

    @Test
    void shouldBeSubAccountWalletWhenSubAccountIsGiven() {
        WalletRef ref = WalletRef.subAccount("ws-1", "sub-1");

        assertThat(ref.isWorkspace()).isFalse();
        assertThat(ref.walletId()).isEqualTo(WalletIds.subAccount("ws-1", "sub-1"));
        assertThat(ref.entrySuffix()).isEqualTo("sub-account");
    }
}
