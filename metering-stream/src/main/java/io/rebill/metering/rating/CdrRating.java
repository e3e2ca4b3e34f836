package io.rebill.metering.rating;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import java.util.Optional;

/**
 * Decides what one call detail record is worth: the rating step of {@code metering-stream}, between
 * reading a CDR and publishing its charge or rejection.
 *
 * <ul>
 *   <li>Rejected {@link ReasonCode#INVALID_CDR}: negative billable seconds, end before start, no
 *       carrier, CDR, workspace or sub-account id, an unknown service or direction.</li>
 *   <li>Not billable: any disposition but ANSWERED, or an answered call of 0 billable seconds.</li>
 *   <li>Otherwise rated on the called number ({@code toNumber}, whichever the direction) with the
 *       rate in force at the call's start ({@link RateCard#find}), priced by {@link VoiceRater}.</li>
 *   <li>Re-billing: the sub-account's own settings, else the workspace default, else not re-billed.
 *       Re-billed charges are priced by {@link Markup} at the usage type's multiplier (1.05x when the
 *       workspace may not mark up); others have price 0 and multiplier 1.00x.</li>
 * </ul>
 */
public final class CdrRating {

    private final RateCard rateCard;
    private final RebillingSettingsLookup settings;

    public CdrRating(RateCard rateCard, RebillingSettingsLookup settings) {
        this.rateCard = rateCard;
        this.settings = settings;
    }

    /** The outcome for one call; never throws for anything the call or the reference data contains. */
    public RatingOutcome rate(CallFacts call) {
        try {
            requireConsistent(call);
            if (call.disposition() != CallDisposition.ANSWERED) {
                return new RatingOutcome.NotBillable("disposition " + call.disposition());
            }
            if (call.billableSeconds() == 0) {
                return new RatingOutcome.NotBillable("answered with 0 billable seconds");
            }
            return new RatingOutcome.Rated(rateBillableCall(call));
        } catch (UnratableUsageException e) {
            return new RatingOutcome.Rejected(e.reasonCode(), e.getMessage());
        }
    }

    /** The settings that apply to the call's sub-account, enabled or not. */
    private Optional<RebillingTerms> effectiveSettings(String workspaceId, String subAccountId) {
        return settings.find(RebillingSettingsKey.forSubAccount(workspaceId, subAccountId))
                .or(() -> settings.find(RebillingSettingsKey.forWorkspace(workspaceId)));
    }

    private RatedUsage rateBillableCall(CallFacts call) {
        UsageType usageType = usageTypeOf(call.service());
        requireKnownDirection(call.direction());
        DestinationNumber destination = DestinationNumber.parse(call.toNumber());
        Rate rate = rateCard.find(usageType, call.direction(), destination.e164Digits(), call.startTime())
                .orElseThrow(() -> new UnratableUsageException(ReasonCode.NO_RATE, "No " + usageType + " "
                        + call.direction() + " rate for +" + destination.e164Digits() + " in force at "
                        + call.startTime()));
        VoiceRater rater = rate.voiceRater();
        long billedSeconds = rater.billedSeconds(call.billableSeconds());
        long costMicros = rater.costMicros(billedSeconds);

        Optional<RebillingTerms> rebilling = effectiveSettings(call.workspaceId(), call.subAccountId())
                .filter(RebillingTerms::rebillingEnabled);
        int multiplier = rebilling.map(terms -> terms.multiplierFor(usageType)).orElse(Markup.ONE_X_BASIS_POINTS);
        long priceMicros = rebilling.isPresent() ? Markup.priceMicros(costMicros, multiplier) : 0;

        return new RatedUsage(
                ChargeIds.forCdr(call.carrierId(), call.cdrId(), call.version()),
                ChargeIds.cdrSourceRef(call.carrierId(), call.cdrId(), call.version()),
                call.workspaceId(), call.subAccountId(), usageType, QuantityUnit.SECOND,
                call.billableSeconds(), billedSeconds, rate.currency(), costMicros, priceMicros,
                rebilling.isPresent(), multiplier, rate.rateId(), rate.version(), call.startTime());
    }

    private static void requireConsistent(CallFacts call) {
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
