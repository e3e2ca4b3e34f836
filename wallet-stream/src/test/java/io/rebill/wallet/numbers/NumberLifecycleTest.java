package io.rebill.wallet.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.wallet.numbers.RenewalStep.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumberLifecycleTest {

    private static final String NUMBER = "+15551234567";
    private static final long COST = 1_150_000;
    private static final Duration GRACE = Duration.ofDays(7);
    private static final Instant BOUGHT = Instant.parse("2026-01-15T10:00:00Z");
    private static final Instant FEB_15 = Instant.parse("2026-02-15T10:00:00Z");
    private static final Instant MAR_15 = Instant.parse("2026-03-15T10:00:00Z");

    private static PhoneNumber bought(boolean autoPay) {
        return NumberLifecycle.purchase(NUMBER, "ws-1", "sub-a", COST, "USD", autoPay, BOUGHT);
    }

    private static PhoneNumber heldOnFeb15() {
        return NumberLifecycle.due(bought(true), FEB_15, false, GRACE).after();
    }

    @Test
    void shouldBeActiveAndRenewInOneMonthWhenPurchased() {
        assertThat(bought(true)).isEqualTo(new PhoneNumber(NUMBER, "ws-1", "sub-a", NumberStatus.ACTIVE, true, COST,
                "USD", BOUGHT, FEB_15, null, null, null));
    }

    @Test
    void shouldRejectBlankNumberWhenPurchased() {
        assertThatThrownBy(() -> NumberLifecycle.purchase(" ", "ws-1", null, COST, "USD", true, BOUGHT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
    }

    @Test
    void shouldRejectNumberNotInE164WhenPurchased() {
        assertThatThrownBy(() -> NumberLifecycle.purchase("555-1234", "ws-1", null, COST, "USD", true, BOUGHT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("E.164");
    }

    @Test
    void shouldRejectNegativeCostWhenPurchased() {
        assertThatThrownBy(() -> NumberLifecycle.purchase(NUMBER, "ws-1", null, -1, "USD", true, BOUGHT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("monthly cost");
    }

    @Test
    void shouldRejectPurchaseWhenTheNumberIsStillHeld() {
        PhoneNumber held = heldOnFeb15();

        assertThatThrownBy(() -> NumberLifecycle.purchase(bought(true), NUMBER, "ws-1", null, COST, "USD", true,
                FEB_15)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already held");
        assertThatThrownBy(() -> NumberLifecycle.purchase(held, NUMBER, "ws-1", null, COST, "USD", true, FEB_15))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ON_HOLD");
    }

    @Test
    void shouldAllowPurchaseAgainWhenTheNumberWasReleased() {
        PhoneNumber released = NumberLifecycle.release(bought(true), FEB_15);

        PhoneNumber again = NumberLifecycle.purchase(released, NUMBER, "ws-1", "sub-b", COST, "USD", true, MAR_15);

        assertThat(again.status()).isEqualTo(NumberStatus.ACTIVE);
        assertThat(again.subAccountId()).isEqualTo("sub-b");
        assertThat(again.renewsAt()).isEqualTo(Instant.parse("2026-04-15T10:00:00Z"));
    }

    @Test
    void shouldDoNothingWhenRenewalIsNotDueYet() {
        PhoneNumber number = bought(true);

        RenewalStep step = NumberLifecycle.due(number, FEB_15.minusSeconds(1), true, GRACE);

        assertThat(step).isEqualTo(new RenewalStep(Action.NONE, number));
    }

    @Test
    void shouldChargeAndRenewEveryMonthWhenPayerCanPay() {
        PhoneNumber number = bought(true);
        List<Instant> renewals = new ArrayList<>();

        for (int month = 0; month < 3; month++) {
            RenewalStep step = NumberLifecycle.due(number, number.renewsAt(), true, GRACE);
            assertThat(step.action()).isEqualTo(Action.CHARGE);
            number = step.after();
            renewals.add(number.renewsAt());
        }

        assertThat(number.status()).isEqualTo(NumberStatus.ACTIVE);
        assertThat(renewals).containsExactly(MAR_15, Instant.parse("2026-04-15T10:00:00Z"),
                Instant.parse("2026-05-15T10:00:00Z"));
    }

    @Test
    void shouldRenewOnThePurchaseDayWhenAShortMonthIntervened() {
        PhoneNumber number = NumberLifecycle.purchase(NUMBER, "ws-1", null, COST, "USD", true,
                Instant.parse("2026-01-31T09:00:00Z"));
        List<Instant> renewals = new ArrayList<>(List.of(number.renewsAt()));

        for (int month = 0; month < 3; month++) {
            number = NumberLifecycle.due(number, number.renewsAt(), true, GRACE).after();
            renewals.add(number.renewsAt());
        }

        assertThat(renewals).containsExactly(Instant.parse("2026-02-28T09:00:00Z"),
                Instant.parse("2026-03-31T09:00:00Z"), Instant.parse("2026-04-30T09:00:00Z"),
                Instant.parse("2026-05-31T09:00:00Z"));
    }

    @Test
    void shouldHoldWhenAutoPayIsOff() {
        PhoneNumber number = bought(false);

        RenewalStep step = NumberLifecycle.due(number, FEB_15, true, GRACE);

        assertThat(step.action()).isEqualTo(Action.HOLD);
        assertThat(step.after()).isEqualTo(new PhoneNumber(NUMBER, "ws-1", "sub-a", NumberStatus.ON_HOLD, false,
                COST, "USD", BOUGHT, FEB_15, FEB_15, null, null));
    }

    @Test
    void shouldHoldWhenFundsAreShort() {
        Instant late = FEB_15.plusSeconds(3_600);

        RenewalStep step = NumberLifecycle.due(bought(true), late, false, GRACE);

        assertThat(step.action()).isEqualTo(Action.HOLD);
        assertThat(step.after().status()).isEqualTo(NumberStatus.ON_HOLD);
        assertThat(step.after().heldSince()).isEqualTo(late);
        assertThat(step.after().renewsAt()).isEqualTo(FEB_15);
    }

    @Test
    void shouldRecoverFromHoldWhenFundsArriveBeforeGraceEnds() {
        RenewalStep step = NumberLifecycle.due(heldOnFeb15(), FEB_15.plus(Duration.ofDays(3)), true, GRACE);

        assertThat(step.action()).isEqualTo(Action.CHARGE);
        assertThat(step.after()).isEqualTo(new PhoneNumber(NUMBER, "ws-1", "sub-a", NumberStatus.ACTIVE, true, COST,
                "USD", BOUGHT, MAR_15, null, null, null));
    }

    @Test
    void shouldStayOnHoldWhenGraceHasNotEndedAndFundsAreShort() {
        PhoneNumber held = heldOnFeb15();

        RenewalStep step = NumberLifecycle.due(held, FEB_15.plus(GRACE).minusMillis(1), false, GRACE);

        assertThat(step).isEqualTo(new RenewalStep(Action.NONE, held));
    }

    @Test
    void shouldReleaseWhenGraceEndsExactlyAndFundsAreShort() {
        Instant graceEnd = FEB_15.plus(GRACE);

        RenewalStep step = NumberLifecycle.due(heldOnFeb15(), graceEnd, false, GRACE);

        assertThat(step.action()).isEqualTo(Action.RELEASE);
        assertThat(step.after()).isEqualTo(new PhoneNumber(NUMBER, "ws-1", "sub-a", NumberStatus.RELEASED, true, COST,
                "USD", BOUGHT, FEB_15, null, graceEnd, "unpaid renewal"));
    }

    @Test
    void shouldRenewRatherThanReleaseWhenPayerCanPayAtTheEndOfGrace() {
        assertThat(NumberLifecycle.due(heldOnFeb15(), FEB_15.plus(GRACE), true, GRACE).action())
                .isEqualTo(Action.CHARGE);
    }

    @Test
    void shouldReleaseWhenAutoPayStaysOffEvenIfPayerCouldPay() {
        PhoneNumber held = NumberLifecycle.due(bought(false), FEB_15, true, GRACE).after();

        assertThat(NumberLifecycle.due(held, FEB_15.plus(Duration.ofDays(1)), true, GRACE).action())
                .isEqualTo(Action.NONE);
        assertThat(NumberLifecycle.due(held, FEB_15.plus(GRACE), true, GRACE).action()).isEqualTo(Action.RELEASE);
    }

    @Test
    void shouldRenewHeldNumberWhenAutoPayIsTurnedOnAndPayerCanPay() {
        PhoneNumber held = NumberLifecycle.due(bought(false), FEB_15, true, GRACE).after();

        RenewalStep step = NumberLifecycle.due(NumberLifecycle.autoPay(held, true), FEB_15.plusSeconds(60), true,
                GRACE);

        assertThat(step.action()).isEqualTo(Action.CHARGE);
        assertThat(step.after().status()).isEqualTo(NumberStatus.ACTIVE);
    }

    @Test
    void shouldRenewOneMonthPerCallWhenSeveralMonthsWereMissed() {
        PhoneNumber number = bought(true);
        Instant now = Instant.parse("2026-04-20T00:00:00Z");
        List<Action> actions = new ArrayList<>();

        RenewalStep step;
        do {
            step = NumberLifecycle.due(number, now, true, GRACE);
            actions.add(step.action());
            number = step.after();
        } while (step.action() == Action.CHARGE);

        assertThat(actions).containsExactly(Action.CHARGE, Action.CHARGE, Action.CHARGE, Action.NONE);
        assertThat(number.renewsAt()).isEqualTo(Instant.parse("2026-05-15T10:00:00Z"));
    }

    @Test
    void shouldHoldAtTheFirstUnpaidMonthWhenSeveralMonthsWereMissed() {
        Instant now = Instant.parse("2026-04-20T00:00:00Z");

        RenewalStep first = NumberLifecycle.due(bought(true), now, true, GRACE);
        RenewalStep second = NumberLifecycle.due(first.after(), now, false, GRACE);

        assertThat(first.action()).isEqualTo(Action.CHARGE);
        assertThat(second.action()).isEqualTo(Action.HOLD);
        assertThat(second.after().renewsAt()).isEqualTo(MAR_15);
        assertThat(second.after().heldSince()).isEqualTo(now);
    }

    @Test
    void shouldStopRenewalsWhenReleasedByRequest() {
        PhoneNumber released = NumberLifecycle.release(bought(true), Instant.parse("2026-02-01T00:00:00Z"));
        Instant yearsLater = Instant.parse("2030-01-01T00:00:00Z");

        assertThat(released.status()).isEqualTo(NumberStatus.RELEASED);
        assertThat(released.releaseReason()).isEqualTo("released by request");
        assertThat(released.releasedAt()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(NumberLifecycle.isDue(released, yearsLater)).isFalse();
        assertThat(NumberLifecycle.nextWakeUp(released, GRACE)).isEmpty();
        assertThat(NumberLifecycle.due(released, yearsLater, true, GRACE))
                .isEqualTo(new RenewalStep(Action.NONE, released));
    }

    @Test
    void shouldReleaseHeldNumberWhenRequested() {
        PhoneNumber released = NumberLifecycle.release(heldOnFeb15(), FEB_15.plusSeconds(60));

        assertThat(released.status()).isEqualTo(NumberStatus.RELEASED);
        assertThat(released.heldSince()).isNull();
    }

    @Test
    void shouldNeverChangeWhenReleased() {
        PhoneNumber released = NumberLifecycle.release(bought(true), FEB_15);

        assertThat(NumberLifecycle.release(released, MAR_15)).isSameAs(released);
        assertThat(NumberLifecycle.autoPay(released, false)).isSameAs(released);
        assertThat(NumberLifecycle.due(released, MAR_15, false, GRACE).after()).isSameAs(released);
    }

    @Test
    void shouldToggleAutoPayWhenAskedAndKeepEverythingElse() {
        PhoneNumber number = bought(true);

        PhoneNumber off = NumberLifecycle.autoPay(number, false);

        assertThat(off).isEqualTo(new PhoneNumber(NUMBER, "ws-1", "sub-a", NumberStatus.ACTIVE, false, COST, "USD",
                BOUGHT, FEB_15, null, null, null));
        assertThat(NumberLifecycle.autoPay(off, true)).isEqualTo(number);
    }

    @Test
    void shouldBeDueFromTheRenewalWhenActiveAndAlwaysWhenHeld() {
        assertThat(NumberLifecycle.isDue(bought(true), FEB_15.minusMillis(1))).isFalse();
        assertThat(NumberLifecycle.isDue(bought(true), FEB_15)).isTrue();
        assertThat(NumberLifecycle.isDue(heldOnFeb15(), FEB_15)).isTrue();
    }

    @Test
    void shouldWakeUpAtRenewalWhenActiveAndAtGraceEndWhenHeld() {
        assertThat(NumberLifecycle.nextWakeUp(bought(true), GRACE)).contains(FEB_15);
        assertThat(NumberLifecycle.nextWakeUp(heldOnFeb15(), GRACE)).contains(FEB_15.plus(GRACE));
    }

    @Test
    void shouldRejectNegativeGraceWhenRenewing() {
        assertThatThrownBy(() -> NumberLifecycle.due(bought(true), FEB_15, true, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace period");
    }

    @Test
    void shouldRejectInconsistentRecordWhenHeldWithoutHeldSince() {
        assertThatThrownBy(() -> new PhoneNumber(NUMBER, "ws-1", null, NumberStatus.ON_HOLD, true, COST, "USD",
                BOUGHT, FEB_15, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heldSince");
    }
}
