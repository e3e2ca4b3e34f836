package io.rebill.wallet.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WalletStoresTest {

    @Test
    void shouldGiveEveryKeptSequenceItsOwnSlotAndReuseItThatManyEntriesLater() {
        int kept = WalletStores.LEDGER_ENTRIES_KEPT;
        Set<String> window = LongStream.rangeClosed(1_001, 1_000 + kept)
                .mapToObj(sequence -> WalletStores.ledgerSlotKey("ws/sa", sequence)).collect(Collectors.toSet());
        assertThat(window).hasSize(kept);
        assertThat(WalletStores.ledgerSlotKey("ws/sa", 1_001 + kept)).isEqualTo(WalletStores.ledgerSlotKey("ws/sa", 1_001));
        assertThat(WalletStores.ledgerSlotKey("ws", 7)).isNotEqualTo(WalletStores.ledgerSlotKey("ws/sa", 7));
        assertThatThrownBy(() -> WalletStores.ledgerSlotKey("ws", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepChargesWithoutSubAccountApartFromEverySubAccountsDailyUsage() {
        assertThat(WalletStores.usageKey("ws", "sa")).isEqualTo("ws/sa");
        assertThat(WalletStores.usageKey("ws", null)).isEqualTo("ws/");
    }
}
