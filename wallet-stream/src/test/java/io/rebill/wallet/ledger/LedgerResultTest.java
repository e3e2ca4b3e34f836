package io.rebill.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerResultTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldListEachTouchedWalletOnceInPostingOrder() {
        WalletRef sub = WalletRef.subAccount("ws-1", "sub-1");
        WalletRef workspace = WalletRef.workspace("ws-1");
        LedgerResult.Applied applied = new LedgerResult.Applied(DoubleWallet.empty("ws-1"), List.of(
                posting("a", sub), posting("b", workspace), posting("c", sub)));

        assertThat(applied.touchedWallets()).containsExactly(sub, workspace);
    }

    private static Posting posting(String entryId, WalletRef wallet) {
        return new Posting(entryId, wallet, Posting.Kind.ADJUSTMENT, 1, 1, "USD", entryId, null, AT);
    }
}
