package io.rebill.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WalletTest {

    private static final Instant OPENED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void shouldOpenWithZeroBalanceAndNoEntries() {
        Wallet wallet = Wallet.open("USD", OPENED);

        assertThat(wallet).isEqualTo(new Wallet("USD", 0, 0, null, OPENED));
    }

    @Test
    void shouldAddSignedAmountCountEntryAndRememberItWhenPosting() {
        Wallet wallet = Wallet.open("USD", OPENED).post(5_000_000, "c-1", OPENED).post(-1_250_000, "c-2", LATER);

        assertThat(wallet).isEqualTo(new Wallet("USD", 3_750_000, 2, "c-2", LATER));
    }

    @Test
    void shouldFailInsteadOfWrappingAroundWhenBalanceOverflows() {
        Wallet nearlyFull = new Wallet("USD", Long.MAX_VALUE - 1, 1, "c-1", OPENED);

        assertThatThrownBy(() -> nearlyFull.post(2, "c-2", LATER)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldBeActiveWhenBalanceIsAboveZeroAndEmptyOtherwise() {
        assertThat(new Wallet("USD", 1, 1, "e", OPENED).status()).isEqualTo(Wallet.Status.ACTIVE);
        assertThat(new Wallet("USD", 0, 1, "e", OPENED).status()).isEqualTo(Wallet.Status.EMPTY);
        assertThat(new Wallet("USD", -1, 1, "e", OPENED).status()).isEqualTo(Wallet.Status.EMPTY);
    }
}
