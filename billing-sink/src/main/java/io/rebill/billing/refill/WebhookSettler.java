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
 * order, and the refill loop settles every payment itself, so an event only completes what the loop
 * could not: a success credits a refill the loop recorded as failed (the client authenticated
 * afterwards) or as of unknown outcome; a failure is recorded only for an unknown outcome, and never
 * takes back money. An event must match the refill the loop recorded: the same Stripe account and,
 * when the loop saw one, the same PaymentIntent. So a signed event for a PaymentIntent someone else
 * created with our metadata (an agency on its own connected account) credits nothing.
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
        if (earlier == null) {
            // The loop has not settled this request yet; it will, under the same key.
            return new Settlement.Ignored("no outcome recorded for refill " + target.requestId() + " yet");
        }
        String mismatch = mismatch(event, earlier);
        if (mismatch != null) {
            return new Settlement.Ignored(mismatch);
        }
        Instant now = clock.instant();
        if (event.type() == PaymentEvent.Type.SUCCEEDED) {
            if (earlier.getStatus() == RefillOutcomeStatus.SUCCEEDED) {
                return new Settlement.AlreadySettled(earlier);
            }
            long paidMicros = MinorUnits.toMicros(event.amountMinor(), event.currency());
            RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.SUCCEEDED, paidMicros,
                            event.currency(), RefillRecords.SOURCE_WEBHOOK, now)
                    .setIdempotencyKey(earlier.getIdempotencyKey())
                    .setStripeAccountId(event.stripeAccountId()).setPaymentIntentId(event.paymentIntentId()).build();
            return new Settlement.Decided(outcome, RefillRecords.topUp(target, paidMicros, event.currency(),
                    event.paymentIntentId(), now), null);
        }
        if (earlier.getStatus() != RefillOutcomeStatus.UNKNOWN) {
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
                .setIdempotencyKey(earlier.getIdempotencyKey())
                .setStripeAccountId(event.stripeAccountId()).setPaymentIntentId(event.paymentIntentId())
                .setFailureCode(code).setDeclineCode(event.declineCode()).setMessage(event.message()).build();
        return new Settlement.Decided(outcome, RefillRecords.refillFailed(target, code, event.declineCode(),
                event.message(), now), notice);
    }

    /** Why the event is not about the payment the loop recorded, or null when it is. */
    private static String mismatch(PaymentEvent event, RefillOutcome earlier) {
        if (!event.walletId().equals(earlier.getWalletId())) {
            return "event for wallet " + event.walletId() + " but refill " + earlier.getRequestId() + " is for "
                    + earlier.getWalletId();
        }
        if (!java.util.Objects.equals(event.stripeAccountId(), earlier.getStripeAccountId())) {
            return "event from Stripe account " + accountName(event.stripeAccountId()) + " but refill "
                    + earlier.getRequestId() + " was charged on " + accountName(earlier.getStripeAccountId());
        }
        if (earlier.getPaymentIntentId() != null && !earlier.getPaymentIntentId().equals(event.paymentIntentId())) {
            return "event for payment intent " + event.paymentIntentId() + " but refill " + earlier.getRequestId()
                    + " created " + earlier.getPaymentIntentId();
        }
        return null;
    }

    private static String accountName(String account) {
        return account == null ? "the platform account" : account;
    }
}
