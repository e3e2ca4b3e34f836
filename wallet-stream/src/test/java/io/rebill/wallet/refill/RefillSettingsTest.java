package io.rebill.wallet.refill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RefillSettingsTest {

    @Test
    void shouldAcceptFixedAmountWhenEnabled() {
        RefillSettings settings = RefillSettings.fixedAmount(10_000_000, 25_000_000);

        assertThat(settings).isEqualTo(new RefillSettings(true, 10_000_000, 25_000_000L, null, null, false));
    }

    @Test
    void shouldAcceptTargetBalanceWithCapAndOfflinePaymentWhenEnabled() {
        RefillSettings settings = RefillSettings.toTarget(0, 50_000_000).withMonthlyCap(200_000_000L)
                .withOfflinePayment(true);

        assertThat(settings).isEqualTo(new RefillSettings(true, 0, null, 50_000_000L, 200_000_000L, true));
    }

    @Test
    void shouldAcceptNeitherSizeWhenDisabled() {
        assertThat(new RefillSettings(false, 0, null, null, null, false).enabled()).isFalse();
    }

    @Test
    void shouldRejectNegativeThresholdWhenCreated() {
        assertThatThrownBy(() -> RefillSettings.fixedAmount(-1, 25_000_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold must be >= 0");
    }

    @Test
    void shouldRejectBothAmountAndTargetWhenCreated() {
        assertThatThrownBy(() -> new RefillSettings(true, 0, 1L, 2L, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> new RefillSettings(false, 0, 1L, 2L, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void shouldRejectNeitherAmountNorTargetWhenEnabled() {
        assertThatThrownBy(() -> new RefillSettings(true, 0, null, null, null, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a refill amount or a target balance");
    }

    @Test
    void shouldRejectAmountThatIsNotPositiveWhenCreated() {
        assertThatThrownBy(() -> RefillSettings.fixedAmount(0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refill amount must be > 0");
    }

    @Test
    void shouldRejectTargetThatIsNotAboveThresholdWhenCreated() {
        assertThatThrownBy(() -> RefillSettings.toTarget(10_000_000, 10_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target balance must be above the threshold");
    }

    @Test
    void shouldRejectCapThatIsNotPositiveWhenSet() {
        assertThatThrownBy(() -> RefillSettings.fixedAmount(0, 1).withMonthlyCap(0L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("monthly cap must be > 0");
    }
}
