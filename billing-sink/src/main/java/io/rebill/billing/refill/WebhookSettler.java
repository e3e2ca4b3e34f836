package io.rebill.billing.refill;

import io.rebill.billing.payment.MinorUnits;
import io.rebill.billing.payment.PaymentResult;
import io.rebill.billing.stripe.PaymentEvent;
import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.BillingNoticeKind;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import java.time.Clock;
import java.time.Instant;

/**
 * Decides what a verified Stripe payment event changes. Stripe sends events late, twice and out of
 * order, and the refill loop may have settled the same payment already, so an event only adds what
 * is missing: a success credits the wallet unless a success is already recorded (a payment the
 * client authenticated after {@code authentication_required} does credit); a failure is recorded
 * only for a request with no outcome yet, and never takes back money.
 */
public final class WebhookSettler {

    private final Clock clock;

    public WebhookSettler(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param earlier the outcome recorded for the event's refill request, or null
     * @throws InvalidRefillRequestException when the payment's metadata names no consistent wallet
     */
    public Settlement settle(PaymentEvent event, RefillOutcome earlier) {
        RefillTarget target = new RefillTarget(event.refillRequestId(), event.walletId(), event.workspaceId(),
                event.subAccountId());
        Instant now = clock.instant();
        if (event.type() == PaymentEvent.Type.SUCCEEDED) {
            if (earlier != null && earlier.getStatus() == RefillOutcomeStatus.SUCCEEDED) {
                return new Settlement.AlreadySettled(earlier);
            }
            long paidMicros = MinorUnits.toMicros(event.amountMinor(), event.currency());
            RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.SUCCEEDED, paidMicros,
                            event.currency(), RefillRecords.SOURCE_WEBHOOK, now)
                    .setStripeAccountId(event.stripeAccountId()).setPaymentIntentId(event.paymentIntentId()).build();
            return new Settlement.Decided(outcome, RefillRecords.topUp(target, paidMicros, event.currency(),
                    event.paymentIntentId(), now), null);
        }
        if (earlier != null) {
            return new Settlement.AlreadySettled(earlier);
        }
        long amountMicros = MinorUnits.toMicros(event.amountMinor(), event.currency());
        String code = event.failureCode() == null ? "payment_failed" : event.failureCode();
        BillingNotice notice = PaymentResult.Declined.AUTHENTICATION_REQUIRED.equals(code)
                ? RefillRecords.notice(target, BillingNoticeKind.ACTION_REQUIRED, amountMicros, event.currency(),
                        event.paymentIntentId(), "Your bank asks you to confirm the payment that refills your "
                                + "wallet; complete it in your billing settings", now)
                : null;
        RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.FAILED, amountMicros,
                        event.currency(), RefillRecords.SOURCE_WEBHOOK, now)
                .setStripeAccountId(event.stripeAccountId()).setPaymentIntentId(event.paymentIntentId())
                .setFailureCode(code).setDeclineCode(event.declineCode()).setMessage(event.message()).build();
        return new Settlement.Decided(outcome, RefillRecords.refillFailed(target, code, event.declineCode(),
                event.message(), now), notice);
    }
}
