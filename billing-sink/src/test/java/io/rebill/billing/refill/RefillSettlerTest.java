package io.rebill.billing.refill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.billing.payment.PaymentGateway;
import io.rebill.billing.payment.PaymentRequest;
import io.rebill.billing.payment.PaymentResult;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.TopUp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The refill decisions without Kafka or Stripe: a recording gateway stands in for the provider. */
class RefillSettlerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final List<PaymentRequest> charged = new ArrayList<>();
    private PaymentResult answer = new PaymentResult.Succeeded("pi_1", 1235, "USD", false);
    private final PaymentGateway gateway = request -> {
        charged.add(request);
        return answer;
    };
    private final RefillSettler settler = new RefillSettler(Optional.of(gateway), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldChargeTheRoundedUpMinorAmountUnderTheRequestsKeyAndCreditWhatWasPaid() {
        Settlement.Decided decided = (Settlement.Decided) settler.settle(request("r-1", 12_345_678, "USD"),
                card(), null);

        assertThat(charged).singleElement().satisfies(call -> {
            assertThat(call.amountMinor()).isEqualTo(1235);
            assertThat(call.idempotencyKey()).isEqualTo("rebill-r-1");
            assertThat(call.stripeAccountId()).isEqualTo("acct_1");
        });
        assertThat(((TopUp) decided.command().getPayload()).getAmountMicros()).isEqualTo(12_350_000);
        assertThat(decided.outcome().getIdempotencyKey()).isEqualTo("rebill-r-1");
        assertThat(decided.notice()).isNull();
    }

    @Test
    void shouldFailWithoutChargingWhenTheAmountOrCurrencyCannotBeCharged() {
        Settlement.Decided zero = (Settlement.Decided) settler.settle(request("r-2", 0, "USD"), card(), null);
        Settlement.Decided badCurrency = (Settlement.Decided) settler.settle(request("r-3", 5_000_000, "ZZZ"), card(),
                null);

        assertThat(((RefillFailed) zero.command().getPayload()).getFailureCode()).isEqualTo(RefillSettler.INVALID_AMOUNT);
        assertThat(((RefillFailed) badCurrency.command().getPayload()).getFailureCode())
                .isEqualTo(RefillSettler.INVALID_CURRENCY);
        assertThat(charged).isEmpty();
    }

    @Test
    void shouldRefuseACardSavedOnThePlatformAccountForASubAccount() {
        PaymentMethodOnFile platformCard = PaymentMethodOnFile.newBuilder(card()).setStripeAccountId(null).build();

        Settlement.Decided decided = (Settlement.Decided) settler.settle(request("r-4", 5_000_000, "USD"),
                platformCard, null);

        assertThat(((RefillFailed) decided.command().getPayload()).getFailureCode())
                .isEqualTo(RefillSettler.NO_PAYMENT_METHOD);
        assertThat(decided.notice().getMessage()).contains("connected");
        assertThat(charged).isEmpty();
    }

    @Test
    void shouldReturnTheEarlierOutcomeWithoutChargingAgain() {
        RefillOutcome earlier = RefillOutcome.newBuilder().setRequestId("r-5").setWalletId("ws/sa").setWorkspaceId("ws")
                .setSubAccountId("sa").setStatus(RefillOutcomeStatus.FAILED).setAmountMicros(1).setCurrency("USD")
                .setSource(RefillRecords.SOURCE_REQUEST).setDecidedAt(NOW).build();

        assertThat(settler.settle(request("r-5", 5_000_000, "USD"), card(), earlier))
                .isEqualTo(new Settlement.AlreadySettled(earlier));
        assertThat(charged).isEmpty();
    }

    @Test
    void shouldPassAnUndeterminedAnswerOnWithoutAnOutcome() {
        answer = new PaymentResult.Undetermined("read timed out");

        assertThat(settler.settle(request("r-6", 5_000_000, "USD"), card(), null))
                .isEqualTo(new Settlement.Undetermined("read timed out"));
    }

    @Test
    void shouldRejectARequestWhoseIdsDisagree() {
        RefillRequest wrong = request("r-7", 5_000_000, "USD");
        wrong.setWalletId("ws");

        assertThatThrownBy(() -> settler.settle(wrong, card(), null)).isInstanceOf(InvalidRefillRequestException.class)
                .hasMessageContaining("expected wallet 'ws/sa'");
        RefillRequest noId = request(" ", 5_000_000, "USD");
        assertThatThrownBy(() -> settler.settle(noId, card(), null)).hasMessage("refill request has no request id");
    }

    private static RefillRequest request(String id, long micros, String currency) {
        return RefillRequest.newBuilder().setRequestId(id).setWalletId("ws/sa").setWorkspaceId("ws")
                .setSubAccountId("sa").setAmountMicros(micros).setCurrency(currency).setBalanceMicros(0)
                .setThresholdMicros(1).setRequestedAt(NOW).build();
    }

    private static PaymentMethodOnFile card() {
        return PaymentMethodOnFile.newBuilder().setWalletId("ws/sa").setWorkspaceId("ws").setSubAccountId("sa")
                .setStripeAccountId("acct_1").setCustomerId("cus_1").setPaymentMethodId("pm_1").setUpdatedAt(NOW)
                .build();
    }
}
