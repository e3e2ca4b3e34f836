package io.rebill.metering.rating;

import io.rebill.rebilling.RebillingException;
import io.rebill.rebilling.RebillingSettingsLookup;
import io.rebill.rebilling.RebillingPolicy;
import io.rebill.rebilling.Markup;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.ChargeKind;
import io.rebill.schemas.usage.MessageChannel;

/**
 * Decides what one SMS, MMS or email is worth: the rating step of {@code metering-stream} for
 * {@code metering.messages.raw}, between reading a message event and publishing its charge or
 * rejection. The counterpart of {@link CdrRating} for messaging.
 *
 * <ul>
 *   <li>Rejected {@link ReasonCode#INVALID_MESSAGE}: no event, workspace or sub-account id, a
 *       workspace id with '/', an unknown channel or direction, no timestamp, an SMS with neither a
 *       body nor a length, a negative length, or a length without a known encoding.</li>
 *   <li>Rejected {@link ReasonCode#UNKNOWN_WORKSPACE}: the workspace has no re-billing settings.</li>
 *   <li>SMS, inbound and outbound: billed per segment ({@link SmsSegments}), counted from the body
 *       when it is given, else from its length and encoding; rated on the recipient's number.</li>
 *   <li>MMS, inbound and outbound: one message, rated on the recipient's number.</li>
 *   <li>Email, outbound: one message. An email address has no prefix, so the rate is the rate card's
 *       entry for every destination (the empty prefix).</li>
 *   <li>Email, inbound: recorded, never charged. The seeds bill email outbound only, yet BI wants
 *       inbound volume too; so it is a {@link RatingOutcome.Rated} charge with
 *       {@code billable = false}, amounts 0, no rate and currency {@code XXX}, which the
 *       wallets apply as nothing.</li>
 *   <li>The rate is the one in force at the message's timestamp ({@link RateCard#find}); cost =
 *       quantity &times; unit price, exactly; what the sub-account pays is {@link RebillingPolicy}'s
 *       decision.</li>
 * </ul>
 */
public final class MessageRating {

    /** ISO 4217's code for "no currency": an unbilled record names none rather than guess one. */
    static final String NO_CURRENCY = "XXX";
    /** The rate id of a record no rate was looked up for. */
    static final String NO_RATE_ID = "none";
    /** The rate-card prefix that matches every destination: what email, which has no number, is rated on. */
    private static final String EVERY_DESTINATION = "";

    private final RateCard rateCard;
    private final RebillingPolicy rebilling;

    /** The most parts a concatenated SMS can have (its part counter is one byte). */
    static final int MAX_CONCATENATED_SEGMENTS = 255;

    public MessageRating(RateCard rateCard, RebillingSettingsLookup settings) {
        this.rateCard = rateCard;
        this.rebilling = new RebillingPolicy(settings);
    }

    /** How much of a usage type one message is. */
    private record Quantity(UsageType usageType, QuantityUnit unit, long units) {
    }

    /** The outcome for one message; never throws for anything the message or the reference data contains. */
    public RatingOutcome rate(MessageFacts message) {
        try {
            requireConsistent(message);
            // Counted before the workspace check so a malformed message is reported as such, whoever sent it.
            Quantity quantity = quantityOf(message);
            rebilling.requireKnownWorkspace(message.workspaceId());
            if (quantity.usageType() == UsageType.EMAIL && message.direction() == Direction.INBOUND) {
                return new RatingOutcome.Rated(recordedNotCharged(message));
            }
            String destinationDigits = quantity.usageType() == UsageType.EMAIL
                    ? EVERY_DESTINATION
                    : DestinationNumber.parse(message.toAddress()).e164Digits();
            Rate rate = requireRate(message, quantity.usageType(), destinationDigits);
            return new RatingOutcome.Rated(charge(message, quantity, rate));
        } catch (UnratableUsageException e) {
            return new RatingOutcome.Rejected(e.reasonCode(), e.getMessage());
        } catch (RebillingException e) {
            // The re-billing rules name their problems as the reason codes do.
            return new RatingOutcome.Rejected(ReasonCode.valueOf(e.problem().name()), e.getMessage());
        }
    }

    private static Quantity quantityOf(MessageFacts message) {
        return switch (message.channel()) {
            case SMS -> new Quantity(UsageType.SMS, QuantityUnit.SEGMENT, segmentsOf(message).segments());
            case MMS -> new Quantity(UsageType.MMS, QuantityUnit.MESSAGE, 1);
            case EMAIL -> new Quantity(UsageType.EMAIL, QuantityUnit.MESSAGE, 1);
            default -> throw invalidMessage("channel " + message.channel() + " cannot be rated");
        };
    }

    /**
     * The body is the truth when given (counted as UCS-2 if the sender says it sent it so); a length
     * is the sender's own count, used only without it. Concatenated SMS carry at most 255 parts, so
     * more is not an SMS the carrier sent.
     */
    private static SmsSegments.SegmentCount segmentsOf(MessageFacts message) {
        SmsSegments.SegmentCount count;
        if (message.body() != null) {
            count = SmsSegments.count(message.body(), message.encoding());
        } else if (message.bodyLength() == null) {
            throw invalidMessage("SMS " + message.eventId() + " has neither a body nor a body length");
        } else {
            count = SmsSegments.countFromLength(message.encoding(), message.bodyLength());
        }
        if (count.segments() > MAX_CONCATENATED_SEGMENTS) {
            throw invalidMessage("SMS " + message.eventId() + " would take " + count.segments()
                    + " segments; concatenated SMS carry at most " + MAX_CONCATENATED_SEGMENTS);
        }
        return count;
    }

    private Rate requireRate(MessageFacts message, UsageType usageType, String destinationDigits) {
        return rateCard.find(usageType, message.direction(), destinationDigits, message.timestamp())
                .orElseThrow(() -> new UnratableUsageException(ReasonCode.NO_RATE, "No " + usageType + " "
                        + message.direction() + " rate for "
                        + (destinationDigits.isEmpty() ? "every destination (empty prefix)" : "+" + destinationDigits)
                        + " in force at " + message.timestamp()));
    }

    private RatedUsage charge(MessageFacts message, Quantity quantity, Rate rate) {
        long costMicros;
        try {
            costMicros = Math.multiplyExact(quantity.units(), rate.unitPriceMicros());
        } catch (ArithmeticException e) {
            throw new UnratableUsageException(ReasonCode.AMOUNT_OVERFLOW, quantity.units() + " "
                    + quantity.unit() + " at " + rate.unitPriceMicros() + " micros each overflows a long of"
                    + " micro-units", e);
        }
        RebillingPolicy.Pricing pricing = rebilling.price(message.workspaceId(), message.subAccountId(),
                quantity.usageType(), costMicros);
        return new RatedUsage(
                ChargeIds.forMessage(message.eventId()), ChargeIds.messageSourceRef(message.eventId()),
                message.workspaceId(), message.subAccountId(), quantity.usageType(), quantity.unit(),
                quantity.units(), quantity.units(), rate.currency(), costMicros, pricing.priceMicros(),
                pricing.rebilled(), pricing.multiplierBasisPoints(), rate.rateId(), rate.version(),
                message.timestamp());
    }

    /** An inbound email: counted (raw 1) for BI, worth nothing to either wallet (billable 0). */
    private static RatedUsage recordedNotCharged(MessageFacts message) {
        return new RatedUsage(
                ChargeIds.forMessage(message.eventId()), ChargeIds.messageSourceRef(message.eventId()),
                message.workspaceId(), message.subAccountId(), UsageType.EMAIL, QuantityUnit.MESSAGE, 1, 0,
                NO_CURRENCY, 0, 0, false, Markup.ONE_X_BASIS_POINTS, NO_RATE_ID, 0, message.timestamp(),
                false, ChargeKind.USAGE, null);
    }

    private static void requireConsistent(MessageFacts message) {
        requireId("eventId", message.eventId());
        requireId("workspaceId", message.workspaceId());
        requireId("subAccountId", message.subAccountId());
        if (message.workspaceId().contains("/")) {
            throw invalidMessage("workspaceId '" + message.workspaceId() + "' contains '/'");
        }
        if (message.channel() == null || message.channel() == MessageChannel.UNKNOWN) {
            throw invalidMessage("channel " + message.channel() + " cannot be rated");
        }
        if (message.direction() != Direction.INBOUND && message.direction() != Direction.OUTBOUND) {
            throw invalidMessage("direction " + message.direction() + " cannot be rated");
        }
        if (message.timestamp() == null) {
            throw invalidMessage("timestamp is missing");
        }
    }

    private static void requireId(String name, String id) {
        if (id == null || id.isBlank()) {
            throw invalidMessage(name + " is blank");
        }
    }

    private static UnratableUsageException invalidMessage(String reason) {
        return new UnratableUsageException(ReasonCode.INVALID_MESSAGE, "Invalid message: " + reason);
    }
}
