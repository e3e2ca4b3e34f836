package io.rebill.wallet.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WalletStoresTest {

    @Test
    void shouldZeroPadLedgerSequencesSoKeysSortInPostingOrder() {
        assertThat(WalletStores.ledgerKey("ws/sa", 42)).isEqualTo("ws/sa#0000000000000000042");
        assertThat(WalletStores.ledgerKey("ws", 0)).isEqualTo("ws#0000000000000000000");
        assertThat(WalletStores.ledgerKey("ws", Long.MAX_VALUE)).isEqualTo("ws#" + Long.MAX_VALUE);

        List<String> keys = Stream.of(10L, 9L, 1_000L, 101L).map(sequence -> WalletStores.ledgerKey("ws", sequence))
                .sorted().toList();
        assertThat(keys).containsExactly(WalletStores.ledgerKey("ws", 9), WalletStores.ledgerKey("ws", 10),
                WalletStores.ledgerKey("ws", 101), WalletStores.ledgerKey("ws", 1_000));
    }

    @Test
    void shouldKeepChargesWithoutSubAccountApartFromEverySubAccountsDailyUsage() {
        assertThat(WalletStores.usageKey("ws", "sa")).isEqualTo("ws/sa");
        assertThat(WalletStores.usageKey("ws", null)).isEqualTo("ws/");
    }
}
