package io.rebill.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.net.StripeResponse;
import com.stripe.param.PaymentIntentCreateParams;
import io.rebill.billing.retry.Backoff;
import io.rebill.billing.payment.MinorUnits;
import io.rebill.billing.payment.PaymentGateway;
import io.rebill.billing.payment.PaymentRequest;
import io.rebill.billing.payment.PaymentResult;
import io.rebill.billing.retry.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Charges a saved card off-session with a confirmed Stripe PaymentIntent.
 *
 * <p>A sub-account's card lives on the agency's connected account, so its charge is a direct charge
 * there ({@code Stripe-Account} header); a workspace's own card is charged on the platform account.
 *
 * <p>stripe-java's own network retries are off: this class retries transient failures itself, with
 * the request's idempotency key on every attempt, so each retry is logged and a retry can never
 * charge twice. What counts as transient:
 * <ul>
 *   <li>no answer: connection refused, connect or read timeout ({@link ApiConnectionException});</li>
 *   <li>HTTP 429 ({@link RateLimitException});</li>
 *   <li>HTTP 5xx, and HTTP 409 (another request with the same key is still running): stripe-java
 *       maps every status it has no class for to {@link ApiException}, so any {@code ApiException}
 *       is retried;</li>
 *   <li>HTTP 401 ({@link AuthenticationException}): our deployment's key is wrong, not the card
 *       holder's fault, so the refill must not be reported as declined.</li>
 * </ul>
 * When every attempt failed transiently the answer is {@link PaymentResult.Undetermined}.
 */
public final class StripePaymentGateway implements PaymentGateway {

    /** Stripe sets this response header when it answered from an earlier request with the same key. */
    static final String IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(StripePaymentGateway.class);

    private final StripeClient stripe;
    private final Backoff retries;
    private final Sleeper sleeper;

    public StripePaymentGateway(StripeSettings settings) {
        this(settings, Sleeper.system());
    }

    /** @param sleeper waits between retries; tests pass one that only records the delays */
    public StripePaymentGateway(StripeSettings settings, Sleeper sleeper) {
        Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.retries = settings.retries();
        this.stripe = StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase())
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                .setMaxNetworkRetries(0)
                .build();
    }

    @Override
    public PaymentResult charge(PaymentRequest request) {
        Objects.requireNonNull(request, "request");
        PaymentIntentCreateParams params = paymentIntentParams(request);
        RequestOptions options = requestOptions(request);
        int maxAttempts = retries.maxAttempts();
        String lastFailure = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                Duration delay = retries.delayBeforeRetry(attempt - 1);
                log.warn("Stripe charge for refill {} failed transiently ({}); retrying as attempt {}/{} "
                                + "in {} ms with idempotency key {}",
                        request.refillRequestId(), lastFailure, attempt, maxAttempts, delay.toMillis(),
                        request.idempotencyKey());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    log.warn("Interrupted while waiting to retry the Stripe charge for refill {} "
                            + "(idempotency key {})", request.refillRequestId(), request.idempotencyKey());
                    return new PaymentResult.Undetermined("interrupted before attempt " + attempt + "/"
                            + maxAttempts + " of the Stripe charge; last failure: " + lastFailure);
                }
            }
            try {
                return attemptCharge(request, params, options);
            } catch (TransientFailure failure) {
                lastFailure = failure.getMessage();
            }
        }
        log.error("Stripe charge for refill {} still failing after {} attempts with idempotency key {}; "
                        + "outcome undetermined: {}",
                request.refillRequestId(), maxAttempts, request.idempotencyKey(), lastFailure);
        return new PaymentResult.Undetermined("no answer from Stripe after " + maxAttempts
                + " attempts: " + lastFailure);
    }

    private PaymentResult attemptCharge(
            PaymentRequest request, PaymentIntentCreateParams params, RequestOptions options)
            throws TransientFailure {
        PaymentIntent intent;
        try {
            intent = stripe.v1().paymentIntents().create(params, options);
        } catch (CardException e) {
            return declinedCard(request, e);
        } catch (PermissionException e) { // before AuthenticationException, its superclass
            return refused(request, e, "permission_denied");
        } catch (AuthenticationException e) {
            throw new TransientFailure("Stripe rejected the platform's API key (HTTP 401): "
                    + e.getMessage());
        } catch (InvalidRequestException e) {
            return refused(request, e, "invalid_request");
        } catch (IdempotencyException e) {
            // The key was first used with other parameters (the card on file changed between
            // attempts): the first charge may have gone through, so this is not a decline.
            log.error("Stripe refused idempotency key {} for refill {}: it was used with other parameters; "
                    + "the first attempt's outcome is unknown: {}", request.idempotencyKey(),
                    request.refillRequestId(), e.getMessage());
            return new PaymentResult.Undetermined("idempotency key " + request.idempotencyKey()
                    + " was first used with other parameters: " + stripeMessage(e));
        } catch (RateLimitException e) {
            throw new TransientFailure("rate limited by Stripe (HTTP 429): " + e.getMessage());
        } catch (ApiConnectionException e) {
            throw new TransientFailure("no answer from Stripe: " + connectionProblem(e));
        } catch (ApiException e) {
            throw new TransientFailure("Stripe API error (HTTP " + e.getStatusCode() + "): "
                    + e.getMessage());
        } catch (StripeException e) {
            throw new TransientFailure("unexpected " + e.getClass().getSimpleName() + " (HTTP "
                    + e.getStatusCode() + "): " + e.getMessage());
        }
        return fromPaymentIntent(request, intent);
    }

    private static PaymentResult fromPaymentIntent(PaymentRequest request, PaymentIntent intent) {
        String status = intent.getStatus() == null ? "" : intent.getStatus();
        switch (status) {
            case "succeeded": {
                boolean replayed = isReplay(intent.getLastResponse());
                long amount = firstNonNull(intent.getAmountReceived(), intent.getAmount(),
                        request.amountMinor());
                String currency = intent.getCurrency() == null ? request.currency() : intent.getCurrency();
                log.info("Stripe charged {} {} for refill {}: payment intent {}{}", amount,
                        currency.toUpperCase(Locale.ROOT), request.refillRequestId(), intent.getId(),
                        replayed ? " (idempotent replay)" : "");
                return new PaymentResult.Succeeded(intent.getId(), amount,
                        currency.toUpperCase(Locale.ROOT), replayed);
            }
            case "requires_action":
                log.info("Stripe charge for refill {} needs the card holder to authenticate: "
                        + "payment intent {}", request.refillRequestId(), intent.getId());
                return new PaymentResult.Declined(PaymentResult.Declined.AUTHENTICATION_REQUIRED,
                        null, "The card holder must authenticate this payment.", intent.getId());
            case "requires_payment_method": {
                StripeError error = intent.getLastPaymentError();
                String code = error == null || error.getCode() == null ? "payment_failed" : error.getCode();
                log.info("Stripe charge for refill {} failed with {}: payment intent {}",
                        request.refillRequestId(), code, intent.getId());
                return new PaymentResult.Declined(code,
                        error == null ? null : error.getDeclineCode(),
                        error == null || error.getMessage() == null ? "The payment failed." : error.getMessage(),
                        intent.getId());
            }
            case "canceled":
                log.warn("Stripe answered refill {} with canceled payment intent {}",
                        request.refillRequestId(), intent.getId());
                return new PaymentResult.Declined("payment_intent_canceled", null,
                        "The payment was canceled.", intent.getId());
            case "processing":
                log.info("Stripe charge for refill {} is processing: payment intent {}",
                        request.refillRequestId(), intent.getId());
                return new PaymentResult.Undetermined("payment intent " + intent.getId()
                        + " is processing; its webhook will tell the outcome");
            default:
                log.error("Stripe answered refill {} with payment intent {} in unexpected status {}",
                        request.refillRequestId(), intent.getId(), status);
                return new PaymentResult.Undetermined("payment intent " + intent.getId()
                        + " is in unexpected status \"" + status + "\"");
        }
    }

    private static PaymentResult declinedCard(PaymentRequest request, CardException e) {
        StripeError error = e.getStripeError();
        PaymentIntent intent = error == null ? null : error.getPaymentIntent();
        String paymentIntentId = intent == null ? null : intent.getId();
        String code = e.getCode() == null ? "card_error" : e.getCode();
        log.info("Stripe declined the card for refill {}: {} / {} (payment intent {})",
                request.refillRequestId(), code, e.getDeclineCode(), paymentIntentId);
        return new PaymentResult.Declined(code, e.getDeclineCode(), stripeMessage(e), paymentIntentId);
    }

    /** Stripe refused the request itself; retrying it unchanged cannot succeed. */
    private static PaymentResult refused(PaymentRequest request, StripeException e, String fallbackCode) {
        String code = e.getCode() == null ? fallbackCode : e.getCode();
        log.error("Stripe refused the charge for refill {} (HTTP {}, {}, idempotency key {}, "
                        + "Stripe account {}): {}",
                request.refillRequestId(), e.getStatusCode(), code, request.idempotencyKey(),
                request.stripeAccountId() == null ? "platform" : request.stripeAccountId(), e.getMessage());
        return new PaymentResult.Declined(code, null, stripeMessage(e), null);
    }

    private static PaymentIntentCreateParams paymentIntentParams(PaymentRequest request) {
        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(request.amountMinor())
                .setCurrency(MinorUnits.currencyCode(request.currency()).toLowerCase(Locale.ROOT))
                .setCustomer(request.customerId())
                .setPaymentMethod(request.paymentMethodId())
                .setOffSession(true)
                .setConfirm(true)
                .setDescription("Rebill wallet refill " + request.walletId())
                .putMetadata(RefillMetadata.REFILL_REQUEST_ID, request.refillRequestId())
                .putMetadata(RefillMetadata.WALLET_ID, request.walletId())
                .putMetadata(RefillMetadata.WORKSPACE_ID, request.workspaceId());
        if (request.subAccountId() != null) {
            params.putMetadata(RefillMetadata.SUB_ACCOUNT_ID, request.subAccountId());
        }
        return params.build();
    }

    private static RequestOptions requestOptions(PaymentRequest request) {
        RequestOptions.RequestOptionsBuilder options = RequestOptions.builder()
                .setIdempotencyKey(request.idempotencyKey());
        if (request.stripeAccountId() != null) {
            options.setStripeAccount(request.stripeAccountId());
        }
        return options.build();
    }

    private static boolean isReplay(StripeResponse response) {
        return response != null
                && response.headers().firstValue(IDEMPOTENT_REPLAYED_HEADER)
                        .map(value -> value.strip().equalsIgnoreCase("true"))
                        .orElse(false);
    }

    /** Stripe's message for people, without stripe-java's "; code: ...; request-id: ..." suffix. */
    private static String stripeMessage(StripeException e) {
        StripeError error = e.getStripeError();
        return error != null && error.getMessage() != null ? error.getMessage() : e.getMessage();
    }

    /** The I/O error itself (e.g. "Read timed out"), not stripe-java's paragraph around it. */
    private static String connectionProblem(ApiConnectionException e) {
        Throwable cause = e.getCause();
        return cause == null ? e.getMessage() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static long firstNonNull(Long first, Long second, long fallback) {
        if (first != null) {
            return first;
        }
        return second != null ? second : fallback;
    }

    /** A failure after which the same request, with the same key, may well succeed. */
    private static final class TransientFailure extends Exception {
        TransientFailure(String message) {
            super(message, null, false, false);
        }
    }
}
