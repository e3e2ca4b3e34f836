package io.rebill.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoubleWalletTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldHaveNoWalletsWhenEmpty() {
        DoubleWallet wallets = DoubleWallet.empty("ws-1");

        assertThat(wallets.wallet(WalletRef.workspace("ws-1"))).isEmpty();
        assertThat(wallets.subAccounts()).isEmpty();
    }

    @Test
    void shouldReplaceOnlyTheGivenWalletWhenUpdatingOne() {
        Wallet usd = Wallet.open("USD", AT);
        DoubleWallet before = DoubleWallet.empty("ws-1").with(WalletRef.workspace("ws-1"), usd);

        DoubleWallet after = before.with(WalletRef.subAccount("ws-1", "sub-1"), usd.post(-5, "c-1", AT));

        assertThat(before.subAccounts()).isEmpty();
        assertThat(after.wallet(WalletRef.workspace("ws-1"))).contains(usd);
        assertThat(after.wallet(WalletRef.subAccount("ws-1", "sub-1")))
                .contains(new Wallet("USD", -5, 1, "c-1", AT));
    }

    @Test
    void shouldNotChangeWhenTheMapItWasBuiltFromChanges() {
        Map<String, Wallet> subAccounts = new HashMap<>();
        DoubleWallet wallets = new DoubleWallet("ws-1", null, subAccounts);

        subAccounts.put("sub-1", Wallet.open("USD", AT));

        assertThat(wallets.subAccounts()).isEmpty();
    }

    @Test
    void shouldRefuseWalletOfAnotherWorkspace() {
        DoubleWallet wallets = DoubleWallet.empty("ws-1");

        assertThatThrownBy(() -> wallets.with(WalletRef.workspace("ws-2"), Wallet.open("USD", AT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws-2");
    }
}
