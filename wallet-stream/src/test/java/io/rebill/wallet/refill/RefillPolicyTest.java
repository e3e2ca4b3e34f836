package io.rebill.wallet.refill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.wallet.refill.RefillPolicy.Decision;
import io.rebill.wallet.refill.RefillPolicy.Outcome;
import io.rebill.wallet.refill.RefillState.PendingRefill;
import io.rebill.wallet.refill.RefillState.RefillFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RefillPolicyTest {

    private static final String WALLET = "ws-1/sub-a";
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration BACKOFF = Duration.ofHours(6);
    private static final long THRESHOLD = 10_000_000;
    private static final long AMOUNT = 25_000_000;
    private static final RefillSettings FIXED = RefillSettings.fixedAmount(THRESHOLD, AMOUNT);

    private static RefillRequest requested(Decision decision) {
        assertThat(decision.outcome()).isEqualTo(Outcome.REQUESTED);
        assertThat(decision.request()).isPresent();
        return decision.request().orElseThrow();
    }

    private static void nothingRequested(Decision decision, Outcome why) {
        assertThat(decision.request()).isEmpty();
        assertThat(decision.outcome()).isEqualTo(why);
    }

    /** Requests below the threshold and lets billing pay it in full. */
    private static RefillState requestAndPay(RefillState state, Instant at) {
        Decision decision = RefillPolicy.afterBalanceChange(WALLET, 0, state, at);
        RefillRequest request = requested(decision);
        return RefillPolicy.onSucceeded(decision.state(), request.requestId(), request.amountMicros(), at);
    }

    @Nested
    class WhenTheBalanceChanges {

        @Test
        void shouldRequestFixedAmountWhenBalanceDropsBelowThreshold() {
            Decision decision = RefillPolicy.afterBalanceChange(WALLET, 9_999_999, RefillState.configured(FIXED), T0);

            assertThat(requested(decision)).isEqualTo(new RefillRequest("refill:ws-1/sub-a:1", WALLET, AMOUNT,
                    9_999_999, THRESHOLD, false, T0));
            assertThat(decision.state().pending()).isEqualTo(new PendingRefill("refill:ws-1/sub-a:1", AMOUNT, T0));
            assertThat(decision.state().sequence()).isEqualTo(1);
        }

        @Test
        void shouldNotRequestWhenBalanceIsAtThreshold() {
            nothingRequested(RefillPolicy.afterBalanceChange(WALLET, THRESHOLD, RefillState.configured(FIXED), T0),
                    Outcome.NOT_NEEDED);
        }

        @Test
        void shouldRequestWhatBringsBalanceBackToTargetWhenSizedByTarget() {
            RefillState state = RefillState.configured(RefillSettings.toTarget(THRESHOLD, 50_000_000));

            assertThat(requested(RefillPolicy.afterBalanceChange(WALLET, 4_000_000, state, T0)).amountMicros())
                    .isEqualTo(46_000_000);
            assertThat(requested(RefillPolicy.afterBalanceChange(WALLET, -3_000_000, state, T0)).amountMicros())
                    .isEqualTo(53_000_000);
        }

        @Test
        void shouldRequestOnlyTheFixedAmountWhenBalanceIsFarBelowZero() {
            Decision decision = RefillPolicy.afterBalanceChange(WALLET, -40_000_000, RefillState.configured(FIXED), T0);

            assertThat(requested(decision).amountMicros()).isEqualTo(AMOUNT);
        }

        @Test
        void shouldCarryOfflinePaymentWhenSettingsAskForIt() {
            RefillState state = RefillState.configured(FIXED.withOfflinePayment(true));

            assertThat(requested(RefillPolicy.afterBalanceChange(WALLET, 0, state, T0)).offlinePayment()).isTrue();
        }

        @Test
        void shouldNotRequestWhenNeverConfigured() {
            nothingRequested(RefillPolicy.afterBalanceChange(WALLET, -1, RefillState.initial(), T0),
                    Outcome.DISABLED);
        }

        @Test
        void shouldNotRequestWhenDisabled() {
            RefillState state = RefillState.configured(FIXED.withEnabled(false));

            nothingRequested(RefillPolicy.afterBalanceChange(WALLET, -1, state, T0), Outcome.DISABLED);
        }

        @Test
        void shouldNotRequestAgainWhenARequestIsPending() {
            RefillState pending = RefillPolicy.afterBalanceChange(WALLET, 0, RefillState.configured(FIXED), T0).state();

            Decision again = RefillPolicy.afterBalanceChange(WALLET, -5_000_000, pending, T0.plusSeconds(60));

            nothingRequested(again, Outcome.PENDING);
            assertThat(again.state()).isEqualTo(pending);
        }

        @Test
        void shouldNumberRequestIdsFromOneAndIncrementPerRequestWhenRefillsRepeat() {
            RefillState state = RefillState.configured(FIXED);
            Decision first = RefillPolicy.afterBalanceChange(WALLET, 0, state, T0);
            RefillState paid = RefillPolicy.onSucceeded(first.state(), "refill:ws-1/sub-a:1", AMOUNT, T0);

            Decision second = RefillPolicy.afterBalanceChange(WALLET, 0, paid, T0.plusSeconds(60));

            assertThat(requested(first).requestId()).isEqualTo("refill:ws-1/sub-a:1");
            assertThat(requested(second).requestId()).isEqualTo("refill:ws-1/sub-a:2");
        }

        @Test
        void shouldDecideTheSameWhenReplayedFromTheSameState() {
            RefillState state = RefillState.configured(FIXED);

            assertThat(RefillPolicy.afterBalanceChange(WALLET, 0, state, T0))
                    .isEqualTo(RefillPolicy.afterBalanceChange(WALLET, 0, state, T0));
        }

        @Test
        void shouldRejectBlankWalletIdWhenDeciding() {
            assertThatThrownBy(() -> RefillPolicy.afterBalanceChange(" ", 0, RefillState.configured(FIXED), T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wallet id");
        }
    }

    @Nested
    class WithAMonthlyCap {

        private final RefillState capped = RefillState.configured(FIXED.withMonthlyCap(60_000_000L));

        @Test
        void shouldCountPendingRequestAgainstCapWhenRequested() {
            Decision decision = RefillPolicy.afterBalanceChange(WALLET, 0, capped, T0);

            assertThat(decision.state().month()).isEqualTo(YearMonth.of(2026, 3));
            assertThat(decision.state().monthRequestedMicros()).isEqualTo(AMOUNT);
        }

        @Test
        void shouldRequestOnlyWhatCapStillAllowsWhenCapIsNearlyUsed() {
            RefillState twicePaid = requestAndPay(requestAndPay(capped, T0), T0.plusSeconds(60));

            Decision third = RefillPolicy.afterBalanceChange(WALLET, 0, twicePaid, T0.plusSeconds(120));

            assertThat(twicePaid.monthRequestedMicros()).isEqualTo(50_000_000);
            assertThat(requested(third).amountMicros()).isEqualTo(10_000_000);
            assertThat(third.state().monthRequestedMicros()).isEqualTo(60_000_000);
        }

        @Test
        void shouldNotRequestWhenCapIsUsedUp() {
            RefillState used = requestAndPay(requestAndPay(requestAndPay(capped, T0), T0), T0);

            nothingRequested(RefillPolicy.afterBalanceChange(WALLET, 0, used, T0.plusSeconds(60)),
                    Outcome.CAP_REACHED);
        }

        @Test
        void shouldNotRequestWhenALoweredCapIsAlreadyExceeded() {
            RefillState paid = requestAndPay(requestAndPay(capped, T0), T0);
            RefillState lowered = RefillPolicy.onSettings(paid, FIXED.withMonthlyCap(30_000_000L));

            nothingRequested(RefillPolicy.afterBalanceChange(WALLET, 0, lowered, T0), Outcome.CAP_REACHED);
        }

        @Test
        void shouldCapTargetSizedRequestWhenTheShortfallExceedsTheCap() {
            RefillState state = RefillState.configured(
                    RefillSettings.toTarget(THRESHOLD, 100_000_000).withMonthlyCap(40_000_000L));

            assertThat(requested(RefillPolicy.afterBalanceChange(WALLET, 0, state, T0)).amountMicros())
                    .isEqualTo(40_000_000);
        }

        @Test
        void shouldStartANewMonthWhenTheUtcMonthChanges() {
            Instant lastSecondOfMarch = Instant.parse("2026-03-31T23:59:59Z");
            Instant firstOfApril = Instant.parse("2026-04-01T00:00:00Z");
            RefillState used = requestAndPay(requestAndPay(requestAndPay(capped, T0), T0), T0);

            Decision march = RefillPolicy.afterBalanceChange(WALLET, 0, used, lastSecondOfMarch);
            Decision april = RefillPolicy.afterBalanceChange(WALLET, 0, used, firstOfApril);

            nothingRequested(march, Outcome.CAP_REACHED);
            assertThat(requested(april).amountMicros()).isEqualTo(AMOUNT);
            assertThat(april.state().month()).isEqualTo(YearMonth.of(2026, 4));
            assertThat(april.state().monthRequestedMicros()).isEqualTo(AMOUNT);
        }

        @Test
        void shouldNotCountLastMonthsRequestWhenItIsPaidInTheNewMonth() {
            Decision march = RefillPolicy.afterBalanceChange(WALLET, 0, capped, Instant.parse("2026-03-31T23:00:00Z"));
            String id = requested(march).requestId();

            RefillState paid = RefillPolicy.onSucceeded(march.state(), id, AMOUNT,
                    Instant.parse("2026-04-01T01:00:00Z"));

            assertThat(paid.month()).isEqualTo(YearMonth.of(2026, 4));
            assertThat(paid.monthRequestedMicros()).isZero();
            assertThat(paid.pending()).isNull();
        }
    }

    @Nested
    class WhenBillingAnswers {

        private final Decision requested = RefillPolicy.afterBalanceChange(WALLET, 0,
                RefillState.configured(FIXED.withMonthlyCap(100_000_000L)), T0);
        private final String id = requested.request().orElseThrow().requestId();

        @Test
        void shouldReplacePendingAmountByPaidAmountWhenRefillSucceeds() {
            RefillState paid = RefillPolicy.onSucceeded(requested.state(), id, 20_000_000, T0.plusSeconds(5));

            assertThat(paid.pending()).isNull();
            assertThat(paid.monthRequestedMicros()).isEqualTo(20_000_000);
            assertThat(paid.sequence()).isEqualTo(1);
        }

        @Test
        void shouldReleaseAmountRecordFailureAndBackOffWhenRefillFails() {
            Instant failedAt = T0.plusSeconds(5);

            RefillState failed = RefillPolicy.onFailed(requested.state(), id, "card_declined", "insufficient_funds",
                    failedAt, BACKOFF);

            assertThat(failed.pending()).isNull();
            assertThat(failed.monthRequestedMicros()).isZero();
            assertThat(failed.lastFailure())
                    .isEqualTo(new RefillFailure(id, "card_declined", "insufficient_funds", failedAt));
            assertThat(failed.backoffUntil()).isEqualTo(failedAt.plus(BACKOFF));
            assertThat(RefillPolicy.lastRefillFailed(failed)).isTrue();
        }

        @Test
        void shouldNotRequestBeforeBackoffEndsWhenRefillFailed() {
            RefillState failed = RefillPolicy.onFailed(requested.state(), id, "card_declined", null, T0, BACKOFF);

            nothingRequested(RefillPolicy.afterBalanceChange(WALLET, 0, failed, T0.plus(BACKOFF).minusMillis(1)),
                    Outcome.BACKING_OFF);
        }

        @Test
        void shouldRequestAgainWhenBackoffHasEnded() {
            RefillState failed = RefillPolicy.onFailed(requested.state(), id, "card_declined", null, T0, BACKOFF);

            Decision retry = RefillPolicy.afterBalanceChange(WALLET, 0, failed, T0.plus(BACKOFF));

            assertThat(requested(retry).requestId()).isEqualTo("refill:ws-1/sub-a:2");
            assertThat(RefillPolicy.lastRefillFailed(retry.state())).isTrue();
        }

        @Test
        void shouldClearLastRefillFailedWhenALaterRefillSucceeds() {
            RefillState failed = RefillPolicy.onFailed(requested.state(), id, "card_declined", null, T0, BACKOFF);
            Decision retry = RefillPolicy.afterBalanceChange(WALLET, 0, failed, T0.plus(BACKOFF));

            RefillState paid = RefillPolicy.onSucceeded(retry.state(), requested(retry).requestId(), AMOUNT,
                    T0.plus(BACKOFF));

            assertThat(RefillPolicy.lastRefillFailed(paid)).isFalse();
        }

        @Test
        void shouldClearLastRefillFailedButKeepBackoffWhenMoneyIsToppedUp() {
            RefillState failed = RefillPolicy.onFailed(requested.state(), id, "card_declined", null, T0, BACKOFF);

            RefillState toppedUp = RefillPolicy.onToppedUp(failed);

            assertThat(RefillPolicy.lastRefillFailed(toppedUp)).isFalse();
            assertThat(toppedUp.backoffUntil()).isEqualTo(T0.plus(BACKOFF));
        }

        @Test
        void shouldIgnoreOutcomeWhenItsIdIsNotPending() {
            RefillState pending = requested.state();

            assertThat(RefillPolicy.onSucceeded(pending, "refill:ws-1/sub-a:0", AMOUNT, T0)).isSameAs(pending);
            assertThat(RefillPolicy.onFailed(pending, "manual-top-up-7", "card_declined", null, T0, BACKOFF))
                    .isSameAs(pending);
        }

        @Test
        void shouldIgnoreOutcomeWhenNothingIsPending() {
            RefillState idle = RefillState.configured(FIXED);

            assertThat(RefillPolicy.onSucceeded(idle, id, AMOUNT, T0)).isSameAs(idle);
            assertThat(RefillPolicy.onFailed(idle, id, "card_declined", null, T0, BACKOFF)).isSameAs(idle);
        }

        @Test
        void shouldIgnoreReplayedOutcomeWhenTheRequestWasAlreadyAnswered() {
            RefillState paid = RefillPolicy.onSucceeded(requested.state(), id, AMOUNT, T0);

            assertThat(RefillPolicy.onSucceeded(paid, id, AMOUNT, T0)).isSameAs(paid);
            assertThat(RefillPolicy.onFailed(paid, id, "card_declined", null, T0, BACKOFF)).isSameAs(paid);
        }

        @Test
        void shouldRejectNegativeBackoffWhenRefillFails() {
            Duration negative = Duration.ofSeconds(-1);

            assertThatThrownBy(() -> RefillPolicy.onFailed(requested.state(), id, "x", null, T0, negative))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("back-off");
        }
    }

    @Nested
    class WhenSettingsChange {

        @Test
        void shouldKeepPendingRequestAndBackoffWhenSettingsChange() {
            RefillState pending = RefillPolicy.afterBalanceChange(WALLET, 0, RefillState.configured(FIXED), T0).state();
            RefillSettings newer = RefillSettings.toTarget(0, 5_000_000);

            RefillState changed = RefillPolicy.onSettings(pending, newer);

            assertThat(changed).isEqualTo(new RefillState(newer, pending.pending(), pending.backoffUntil(),
                    pending.lastFailure(), pending.month(), pending.monthRequestedMicros(), pending.sequence()));
        }

        @Test
        void shouldUseNewThresholdWhenSettingsChange() {
            RefillState raised = RefillPolicy.onSettings(RefillState.configured(FIXED),
                    RefillSettings.fixedAmount(50_000_000, AMOUNT));

            assertThat(requested(RefillPolicy.afterBalanceChange(WALLET, 20_000_000, raised, T0)).thresholdMicros())
                    .isEqualTo(50_000_000);
        }
    }

    @Nested
    class WhenFundsAreNeeded {

        private static final long FIVE = 5_000_000;

        @Test
        void shouldRequestTheShortfallWhenAboveThresholdButShortOfWhatIsNeeded() {
            RefillState state = RefillState.configured(RefillSettings.fixedAmount(FIVE, AMOUNT));

            Decision decision = RefillPolicy.needFunds(WALLET, 8_000_000, 40_000_000, state, T0);

            assertThat(requested(decision).amountMicros()).isEqualTo(32_000_000);
            assertThat(requested(decision).balanceMicros()).isEqualTo(8_000_000);
        }

        @Test
        void shouldRequestTheNormalSizeWhenItExceedsTheShortfall() {
            RefillState fixed = RefillState.configured(RefillSettings.fixedAmount(FIVE, AMOUNT));
            RefillState target = RefillState.configured(RefillSettings.toTarget(FIVE, 20_000_000));

            assertThat(requested(RefillPolicy.needFunds(WALLET, 8_000_000, 10_000_000, fixed, T0)).amountMicros())
                    .isEqualTo(AMOUNT);
            assertThat(requested(RefillPolicy.needFunds(WALLET, 8_000_000, 10_000_000, target, T0)).amountMicros())
                    .isEqualTo(12_000_000);
        }

        @Test
        void shouldRequestTheShortfallWhenBalanceIsAboveTheTarget() {
            RefillState target = RefillState.configured(RefillSettings.toTarget(FIVE, 20_000_000));

            assertThat(requested(RefillPolicy.needFunds(WALLET, 30_000_000, 45_000_000, target, T0)).amountMicros())
                    .isEqualTo(15_000_000);
        }

        @Test
        void shouldNotRequestWhenBalanceCoversWhatIsNeededAndIsAboveThreshold() {
            RefillState state = RefillState.configured(RefillSettings.fixedAmount(FIVE, AMOUNT));

            nothingRequested(RefillPolicy.needFunds(WALLET, 8_000_000, 8_000_000, state, T0), Outcome.NOT_NEEDED);
        }

        @Test
        void shouldCapTheShortfallWhenTheMonthlyCapIsLower() {
            RefillState state = RefillState.configured(
                    RefillSettings.fixedAmount(FIVE, AMOUNT).withMonthlyCap(30_000_000L));

            assertThat(requested(RefillPolicy.needFunds(WALLET, 8_000_000, 40_000_000, state, T0)).amountMicros())
                    .isEqualTo(30_000_000);
        }

        @Test
        void shouldApplyTheSameGuardsWhenFundsAreNeeded() {
            RefillState fresh = RefillState.configured(RefillSettings.fixedAmount(FIVE, AMOUNT));
            Decision first = RefillPolicy.needFunds(WALLET, 8_000_000, 40_000_000, fresh, T0);
            RefillState failed = RefillPolicy.onFailed(first.state(), requested(first).requestId(), "card_declined",
                    null, T0, BACKOFF);

            nothingRequested(RefillPolicy.needFunds(WALLET, 8_000_000, 40_000_000, first.state(), T0),
                    Outcome.PENDING);
            nothingRequested(RefillPolicy.needFunds(WALLET, 8_000_000, 40_000_000, failed, T0), Outcome.BACKING_OFF);
            nothingRequested(RefillPolicy.needFunds(WALLET, 8_000_000, 40_000_000,
                    RefillState.configured(FIXED.withEnabled(false)), T0), Outcome.DISABLED);
        }

        @Test
        void shouldRejectNegativeNeededAmountWhenFundsAreNeeded() {
            assertThatThrownBy(() -> RefillPolicy.needFunds(WALLET, 0, -1, RefillState.configured(FIXED), T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needed amount");
        }
    }
}
