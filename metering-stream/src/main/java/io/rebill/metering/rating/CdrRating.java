package io.rebill.metering.rating;

import io.rebill.rebilling.RebillingException;
import io.rebill.rebilling.RebillingSettingsLookup;
import io.rebill.rebilling.RebillingPolicy;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what one call detail record is worth: the rating step of {@code metering-stream}, between
 * reading a CDR and publishing its charge or rejection.
 *
 * <ul>
 *   <li>Rejected {@link ReasonCode#INVALID_CDR}: negative billable seconds, end before start, an
 *       answer outside the call, more billable seconds than the call lasted from answer (or start,
 *       without an answer time) to end, more than the longest call accepted (default 24 hours), no
 *       carrier, CDR, workspace or sub-account id, an unknown service or direction.</li>
 *   <li>Rejected {@link ReasonCode#UNKNOWN_WORKSPACE}: the workspace has no re-billing settings.</li>
 *   <li>Answered with billable seconds: rated on the called number ({@code toNumber}, whichever the
 *       direction) with the rate in force at the call's start ({@link RateCard#find}), priced by
 *       {@link VoiceRater}.</li>
 *   <li>Not answered (no answer, busy): free unless the rate in force sets an unanswered-call fee,
 *       which is then the whole cost. A failed call, or an answered call of 0 seconds, is never
 *       billable.</li>
 *   <li>What the sub-account pays is {@link RebillingPolicy}'s decision.</li>
 * </ul>
 */
public final class CdrRating {

    /**
     * The longest call rated unless configured otherwise. Platforms cap calls at a day or less
     * (Twilio's longest time limit is 24 hours), so more is a carrier or clock fault to look at,
     * not a charge to take from a wallet.
     */
    public static final int DEFAULT_MAX_BILLABLE_SECONDS = 24 * 60 * 60;

    /** Carriers count whole seconds from timestamps of their own: one second of rounding is theirs to take. */
    private static final long BILLABLE_ROUNDING_SECONDS = 1;

    private final RateCard rateCard;
    private final RebillingPolicy rebilling;
    private final int maxBillableSeconds;

    public CdrRating(RateCard rateCard, RebillingSettingsLookup settings) {
        this(rateCard, settings, DEFAULT_MAX_BILLABLE_SECONDS);
    }

    /** @param maxBillableSeconds the longest call rated; a CDR billing more is rejected as invalid */
    public CdrRating(RateCard rateCard, RebillingSettingsLookup settings, int maxBillableSeconds) {
        if (maxBillableSeconds < 1) {
            throw new IllegalArgumentException("The longest call must be at least 1 second, got " + maxBillableSeconds);
        }
        this.rateCard = rateCard;
        this.rebilling = new RebillingPolicy(settings);
        this.maxBillableSeconds = maxBillableSeconds;
    }

    /** The outcome for one call; never throws for anything the call or the reference data contains. */
    public RatingOutcome rate(CallFacts call) {
        try {
            requireConsistent(call);
            rebilling.requireKnownWorkspace(call.workspaceId());
            UsageType usageType = usageTypeOf(call.service());
            requireKnownDirection(call.direction());
            return switch (call.disposition()) {
                case ANSWERED -> call.billableSeconds() == 0
                        ? new RatingOutcome.NotBillable("answered with 0 billable seconds")
                        : new RatingOutcome.Rated(rateAnswered(call, usageType));
                case NO_ANSWER, BUSY -> rateUnanswered(call, usageType);
                default -> new RatingOutcome.NotBillable("disposition " + call.disposition());
            };
        } catch (UnratableUsageException e) {
            return new RatingOutcome.Rejected(e.reasonCode(), e.getMessage());
        } catch (RebillingException e) {
            // The re-billing rules name their problems as the reason codes do.
            return new RatingOutcome.Rejected(ReasonCode.valueOf(e.problem().name()), e.getMessage());
        }
    }

    private RatedUsage rateAnswered(CallFacts call, UsageType usageType) {
        Rate rate = requireRate(call, usageType, DestinationNumber.parse(call.toNumber()));
        VoiceRater rater = rate.voiceRater();
        long billedSeconds = rater.billedSeconds(call.billableSeconds());
        return charge(call, usageType, rate, billedSeconds, rater.costMicros(billedSeconds));
    }

    /** An unanswered attempt costs only what the rate card says such attempts cost; without a rate it is free. */
    private RatingOutcome rateUnanswered(CallFacts call, UsageType usageType) {
        Optional<Rate> rate;
        try {
            rate = rateCard.find(usageType, call.direction(), DestinationNumber.parse(call.toNumber()).e164Digits(),
                    call.startTime());
        } catch (UnratableUsageException e) {
            return new RatingOutcome.NotBillable("disposition " + call.disposition() + " to an unratable number");
        }
        if (rate.isEmpty() || rate.get().unansweredCallFeeMicros() == 0) {
            return new RatingOutcome.NotBillable("disposition " + call.disposition());
        }
        return new RatingOutcome.Rated(charge(call, usageType, rate.get(), 0, rate.get().unansweredCallFeeMicros()));
    }

    private Rate requireRate(CallFacts call, UsageType usageType, DestinationNumber destination) {
        return rateCard.find(usageType, call.direction(), destination.e164Digits(), call.startTime())
                .orElseThrow(() -> new UnratableUsageException(ReasonCode.NO_RATE, "No " + usageType + " "
                        + call.direction() + " rate for +" + destination.e164Digits() + " in force at "
                        + call.startTime()));
    }

    private RatedUsage charge(CallFacts call, UsageType usageType, Rate rate, long billedSeconds, long costMicros) {
        RebillingPolicy.Pricing pricing = rebilling.price(call.workspaceId(), call.subAccountId(), usageType,
                costMicros);
        return new RatedUsage(
                ChargeIds.forCdr(call.carrierId(), call.cdrId(), call.version()),
                ChargeIds.cdrSourceRef(call.carrierId(), call.cdrId(), call.version()),
                call.workspaceId(), call.subAccountId(), usageType, QuantityUnit.SECOND,
                call.billableSeconds(), billedSeconds, rate.currency(), costMicros, pricing.priceMicros(),
                pricing.rebilled(), pricing.multiplierBasisPoints(), rate.rateId(), rate.version(), call.startTime());
    }
    private void requireConsistent(CallFacts call) {
        requireId("carrierId", call.carrierId());
        requireId("cdrId", call.cdrId());
        requireId("workspaceId", call.workspaceId());
        requireId("subAccountId", call.subAccountId());
        if (call.workspaceId().contains("/")) {
            throw invalidCdr("workspaceId '" + call.workspaceId() + "' contains '/'");
        }
        if (call.billableSeconds() < 0) {
            throw invalidCdr("billableSeconds is negative: " + call.billableSeconds());
        }
        if (call.endTime().isBefore(call.startTime())) {
            throw invalidCdr("endTime " + call.endTime() + " is before startTime " + call.startTime());
        }
        if (call.answerTime() != null
                && (call.answerTime().isBefore(call.startTime()) || call.answerTime().isAfter(call.endTime()))) {
            throw invalidCdr("answerTime " + call.answerTime() + " is outside the call, " + call.startTime() + " to "
                    + call.endTime());
        }
        if (call.billableSeconds() > maxBillableSeconds) {
            throw invalidCdr("billableSeconds " + call.billableSeconds() + " is more than the longest call accepted, "
                    + maxBillableSeconds + " s");
        }
        Instant connected = call.answerTime() != null ? call.answerTime() : call.startTime();
        long lastedSeconds = wholeSecondsUp(Duration.between(connected, call.endTime()));
        if (call.billableSeconds() > lastedSeconds + BILLABLE_ROUNDING_SECONDS) {
            throw invalidCdr("billableSeconds " + call.billableSeconds() + " is more than the " + lastedSeconds
                    + " s from " + (call.answerTime() != null ? "answerTime" : "startTime") + " to endTime");
        }
    }

    private static long wholeSecondsUp(Duration duration) {
        return duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    }

    private static UsageType usageTypeOf(CallService service) {
        return switch (service) {
            case VOICE -> UsageType.VOICE;
            case VOICE_AI -> UsageType.VOICE_AI;
            default -> throw invalidCdr("service " + service + " cannot be rated");
        };
    }

    private static void requireKnownDirection(Direction direction) {
        if (direction != Direction.INBOUND && direction != Direction.OUTBOUND) {
            throw invalidCdr("direction " + direction + " cannot be rated");
        }
    }

    private static void requireId(String name, String id) {
        if (id == null || id.isBlank()) {
            throw invalidCdr(name + " is blank");
        }
    }

    private static UnratableUsageException invalidCdr(String reason) {
        return new UnratableUsageException(ReasonCode.INVALID_CDR, "Invalid CDR: " + reason);
    }
}
