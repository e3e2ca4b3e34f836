package io.rebill.billing.refill;

import io.rebill.billing.payment.MinorUnits;
import io.rebill.billing.payment.PaymentGateway;
import io.rebill.billing.payment.PaymentRequest;
import io.rebill.billing.payment.PaymentResult;
import io.rebill.money.Micros;
import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.BillingNoticeKind;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.billing.RefillRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what one refill request becomes: a charge of the owner's saved card, a failure the wallet
 * backs off from, or a notice that an offline payment is awaited. A sub-account's refill charges the
 * client's card on the agency's connected account; the agency's own card is never charged for it,
 * so a sub-account without a card of its own fails with {@code no_payment_method}.
 */
public final class RefillSettler {

    public static final String NO_PAYMENT_METHOD = "no_payment_method";
    public static final String INVALID_AMOUNT = "invalid_amount";
    public static final String INVALID_CURRENCY = "invalid_currency";

    /** Null in a deployment without a Stripe key: every refill then waits for an offline payment. */
    private final PaymentGateway gateway;
    private final Clock clock;

    public RefillSettler(Optional<PaymentGateway> gateway, Clock clock) {
        this.gateway = gateway.orElse(null);
        this.clock = clock;
    }

    /**
     * @param earlier the outcome already recorded for this request id, if any
     * @param method  the card on file for the request's wallet, or null
     * @throws InvalidRefillRequestException when the request names no wallet that could be answered
     */
    public Settlement settle(RefillRequest request, PaymentMethodOnFile method, RefillOutcome earlier) {
        RefillTarget target = new RefillTarget(request.getRequestId(), request.getWalletId(),
                request.getWorkspaceId(), request.getSubAccountId());
        if (earlier != null) {
            return new Settlement.AlreadySettled(earlier);
        }
        Instant now = clock.instant();
        long amount = request.getAmountMicros();
        String currency = request.getCurrency();
        if (amount <= 0) {
            return failed(target, amount, currency, INVALID_AMOUNT, "refill amount must be > 0, was " + amount
                    + " micros", null, now);
        }
        long minor;
        try {
            minor = MinorUnits.chargeableMinor(amount, currency);
        } catch (IllegalArgumentException e) {
            return failed(target, amount, currency, INVALID_CURRENCY, e.getMessage(), null, now);
        }
        if (request.getOfflinePayment() || gateway == null) {
            return awaitingOfflinePayment(target, amount, currency, request.getOfflinePayment(), now);
        }
        String unusable = unusable(target, method);
        if (unusable != null) {
            BillingNotice notice = RefillRecords.notice(target, BillingNoticeKind.NO_PAYMENT_METHOD, amount, currency,
                    null, unusable, now);
            return failed(target, amount, currency, NO_PAYMENT_METHOD, unusable, notice, now);
        }

        String key = PaymentRequest.idempotencyKeyFor(target.requestId());
        PaymentResult result = gateway.charge(new PaymentRequest(target.requestId(), key, target.walletId(),
                target.workspaceId(), target.subAccountId(), minor, currency, method.getStripeAccountId(),
                method.getCustomerId(), method.getPaymentMethodId()));
        Instant decidedAt = clock.instant();
        if (result instanceof PaymentResult.Succeeded paid) {
            long paidMicros = MinorUnits.toMicros(paid.amountMinor(), paid.currency());
            RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.SUCCEEDED, paidMicros,
                            paid.currency(), RefillRecords.SOURCE_REQUEST, decidedAt)
                    .setIdempotencyKey(key).setStripeAccountId(method.getStripeAccountId())
                    .setPaymentIntentId(paid.paymentIntentId()).build();
            return new Settlement.Decided(outcome, RefillRecords.topUp(target, paidMicros, paid.currency(),
                    paid.paymentIntentId(), decidedAt), null);
        }
        if (result instanceof PaymentResult.Declined declined) {
            BillingNotice notice = declined.actionRequired()
                    ? RefillRecords.notice(target, BillingNoticeKind.ACTION_REQUIRED, amount, currency,
                            declined.paymentIntentId(), "Your bank asks you to confirm a payment of "
                                    + display(amount, currency) + " to refill your wallet; "
                                    + "complete it in your billing settings", decidedAt)
                    : null;
            RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.FAILED, amount, currency,
                            RefillRecords.SOURCE_REQUEST, decidedAt)
                    .setIdempotencyKey(key).setStripeAccountId(method.getStripeAccountId())
                    .setPaymentIntentId(declined.paymentIntentId()).setFailureCode(declined.failureCode())
                    .setDeclineCode(declined.declineCode()).setMessage(declined.message()).build();
            return new Settlement.Decided(outcome, RefillRecords.refillFailed(target, declined.failureCode(),
                    declined.declineCode(), declined.message(), decidedAt), notice);
        }
        return new Settlement.Undetermined(((PaymentResult.Undetermined) result).reason());
    }

    /**
     * Stripe has not told whether the card was charged for far too long: stop asking before its
     * idempotency key expires (a retry after that would be a new charge). The outcome is recorded as
     * UNKNOWN, so the request is never charged again; the wallet keeps the refill outstanding, and a
     * late webhook or the operator settles it.
     */
    public Settlement.Decided giveUp(RefillRequest request, PaymentMethodOnFile method, String reason) {
        RefillTarget target = new RefillTarget(request.getRequestId(), request.getWalletId(),
                request.getWorkspaceId(), request.getSubAccountId());
        Instant now = clock.instant();
        String account = method == null ? null : method.getStripeAccountId();
        String message = "Stripe never said whether refill " + target.requestId() + " of "
                + display(request.getAmountMicros(), request.getCurrency()) + " was charged (" + reason + "). Look up "
                + "the PaymentIntent with metadata rebill_refill_request_id=" + target.requestId() + " on "
                + (account == null ? "the platform account" : "connected account " + account) + "; if it was paid, "
                + "record it with rebill wallet credit --refill-request " + target.requestId();
        RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.UNKNOWN, request.getAmountMicros(),
                        request.getCurrency(), RefillRecords.SOURCE_REQUEST, now)
                .setIdempotencyKey(PaymentRequest.idempotencyKeyFor(target.requestId()))
                .setStripeAccountId(account).setMessage(message).build();
        return new Settlement.Decided(outcome, null, RefillRecords.notice(target,
                BillingNoticeKind.PAYMENT_OUTCOME_UNKNOWN, request.getAmountMicros(), request.getCurrency(), null,
                message, now));
    }

    /** Why the card on file cannot pay for this wallet, or null when it can. */
    private static String unusable(RefillTarget target, PaymentMethodOnFile method) {
        if (method == null) {
            return target.isSubAccount()
                    ? "Sub-account " + target.subAccountId() + " has no card on file; the client adds one in "
                            + "their billing settings (the agency's card is never charged for a client's wallet)"
                    : "Workspace " + target.workspaceId() + " has no card on file";
        }
        if (!target.walletId().equals(method.getWalletId())) {
            return "The card on file belongs to wallet " + method.getWalletId() + ", not " + target.walletId();
        }
        if (target.isSubAccount() && method.getStripeAccountId() == null) {
            return "Sub-account " + target.subAccountId() + "'s card must be saved on the agency's connected "
                    + "Stripe account, not the platform account";
        }
        if (!target.isSubAccount() && method.getStripeAccountId() != null) {
            // The workspace pays the platform: a charge on its own connected account would pay the agency.
            return "Workspace " + target.workspaceId() + "'s card must be saved on the platform account, not on "
                    + "connected account " + method.getStripeAccountId();
        }
        return null;
    }

    private static String display(long micros, String currency) {
        return plain(micros) + " " + currency;
    }

    /** Exact decimal text without trailing zeros: what the operator types back into the CLI. */
    private static String plain(long micros) {
        return Micros.toDecimal(micros).stripTrailingZeros().toPlainString();
    }

    private static Settlement failed(RefillTarget target, long amount, String currency, String code, String message,
            BillingNotice notice, Instant now) {
        RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.FAILED, amount, currency,
                RefillRecords.SOURCE_REQUEST, now).setFailureCode(code).setMessage(message).build();
        return new Settlement.Decided(outcome, RefillRecords.refillFailed(target, code, null, message, now), notice);
    }

    private static Settlement awaitingOfflinePayment(RefillTarget target, long amount, String currency,
            boolean walletChoseOffline, Instant now) {
        String why = walletChoseOffline ? "this wallet is refilled by offline payment"
                : "this deployment charges no cards (no Stripe key)";
        String message = "Refill of " + display(amount, currency) + " for wallet " + target.walletId()
                + " awaits an offline payment (" + why + "); record it with: rebill wallet credit --workspace "
                + target.workspaceId() + (target.isSubAccount() ? " --sub-account " + target.subAccountId() : "")
                + " --amount " + plain(amount) + " --currency " + currency
                + " --reference <payment reference> --refill-request " + target.requestId();
        RefillOutcome outcome = RefillRecords.outcome(target, RefillOutcomeStatus.AWAITING_OFFLINE_PAYMENT, amount,
                currency, RefillRecords.SOURCE_REQUEST, now).setMessage(message).build();
        return new Settlement.Decided(outcome, null, RefillRecords.notice(target,
                BillingNoticeKind.AWAITING_OFFLINE_PAYMENT, amount, currency, null, message, now));
    }
}
