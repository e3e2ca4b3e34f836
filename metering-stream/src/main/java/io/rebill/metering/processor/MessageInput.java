package io.rebill.metering.processor;

import io.rebill.rebilling.RebillingSettingsLookup;
import io.rebill.metering.rating.MessageFacts;
import io.rebill.metering.rating.MessageRating;
import io.rebill.metering.rating.RateCard;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.metering.rating.ReasonCode;
import io.rebill.schemas.usage.MessageEvent;
import io.rebill.topics.Topic;
import java.util.function.Function;

/** SMS, MMS and email events, identified by event id; they have no versions, so a repeat is a duplicate. */
public record MessageInput(Topic<String, MessageEvent> topic) implements MeteredInput<MessageEvent> {

    @Override
    public String namePrefix() {
        return "metering-message";
    }

    @Override
    public String identityOrNull(MessageEvent event) {
        String eventId = event.getEventId();
        return eventId == null || eventId.isBlank() ? null : eventId;
    }

    @Override
    public int version(MessageEvent event) {
        return 1;
    }

    @Override
    public ReasonCode invalidRecordCode() {
        return ReasonCode.INVALID_MESSAGE;
    }

    @Override
    public Function<MessageEvent, RatingOutcome> rater(RateCard rateCard, RebillingSettingsLookup settings) {
        MessageRating rating = new MessageRating(rateCard, settings);
        return event -> rating.rate(new MessageFacts(event.getEventId(), event.getWorkspaceId(),
                event.getSubAccountId(), event.getChannel(), event.getDirection(), event.getFromAddress(),
                event.getToAddress(), event.getBody(), event.getBodyLength(), event.getEncoding(),
                event.getTimestamp()));
    }
}
