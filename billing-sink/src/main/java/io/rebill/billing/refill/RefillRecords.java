package io.rebill.billing.refill;

import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.BillingNoticeKind;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillOutcomeStatus;
import io.rebill.schemas.wallet.RefillFailed;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import java.time.Instant;

/**
 * The records billing-sink writes, with their deterministic ids: a payment outcome written again (a
 * redelivered request, a webhook after the synchronous answer) carries the same command id, and the
 * wallet applies a command id once.
 */
public final class RefillRecords {

    /** Who the wallet commands say issued them. */
    public static final String ISSUED_BY = "billing-sink";
    public static final String SOURCE_REQUEST = "refill-request";
    public static final String SOURCE_WEBHOOK = "stripe-webhook";

    private RefillRecords() {
    }

    /** The command id of the top-up for a paid refill; the same whether the sink or a webhook saw it first. */
    public static String paidCommandId(String refillRequestId) {
        return "refill-paid:" + refillRequestId;
    }

    /** The command id of a failed refill; differs from the paid one so a later success still credits. */
    public static String failedCommandId(String refillRequestId) {
        return "refill-failed:" + refillRequestId;
    }

    public static String noticeId(BillingNoticeKind kind, String refillRequestId) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + refillRequestId;
    }

    static WalletCommand topUp(RefillTarget target, long amountMicros, String currency, String paymentIntentId,
            Instant at) {
        return WalletCommand.newBuilder()
                .setCommandId(paidCommandId(target.requestId()))
                .setWorkspaceId(target.workspaceId())
                .setSubAccountId(target.subAccountId())
                .setIssuedAt(at)
                .setIssuedBy(ISSUED_BY)
                .setPayload(new TopUp(amountMicros, currency, paymentIntentId, target.requestId()))
                .build();
    }

    static WalletCommand refillFailed(RefillTarget target, String failureCode, String declineCode, String message,
            Instant at) {
        return WalletCommand.newBuilder()
                .setCommandId(failedCommandId(target.requestId()))
                .setWorkspaceId(target.workspaceId())
                .setSubAccountId(target.subAccountId())
                .setIssuedAt(at)
                .setIssuedBy(ISSUED_BY)
                .setPayload(new RefillFailed(target.requestId(), failureCode, declineCode, message))
                .build();
    }

    static RefillOutcome.Builder outcome(RefillTarget target, RefillOutcomeStatus status, long amountMicros,
            String currency, String source, Instant at) {
        return RefillOutcome.newBuilder()
                .setRequestId(target.requestId())
                .setWalletId(target.walletId())
                .setWorkspaceId(target.workspaceId())
                .setSubAccountId(target.subAccountId())
                .setStatus(status)
                .setAmountMicros(amountMicros)
                .setCurrency(currency)
                .setSource(source)
                .setDecidedAt(at);
    }

    static BillingNotice notice(RefillTarget target, BillingNoticeKind kind, long amountMicros, String currency,
            String paymentIntentId, String message, Instant at) {
        return BillingNotice.newBuilder()
                .setNoticeId(noticeId(kind, target.requestId()))
                .setKind(kind)
                .setWalletId(target.walletId())
                .setWorkspaceId(target.workspaceId())
                .setSubAccountId(target.subAccountId())
                .setRefillRequestId(target.requestId())
                .setAmountMicros(amountMicros)
                .setCurrency(currency)
                .setPaymentIntentId(paymentIntentId)
                .setMessage(message)
                .setCreatedAt(at)
                .build();
    }
}
