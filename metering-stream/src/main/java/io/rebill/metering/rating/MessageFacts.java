package io.rebill.metering.rating;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.usage.MessageChannel;
import io.rebill.schemas.usage.TextEncoding;
import java.time.Instant;

/**
 * What rating needs to know about one SMS, MMS or email, as the platform reported it (a
 * {@code MessageEvent} from {@code metering.messages.raw}), unchecked: {@link MessageRating} decides
 * whether it makes sense.
 *
 * @param toAddress the recipient as sent: an E.164 number for SMS and MMS, whose prefix sets the price
 *     in both directions; an email address for email, which does not
 * @param body the text when the sender shares it; null when withheld
 * @param bodyLength when the body is withheld: septets for GSM-7 (extension characters count 2), UTF-16
 *     code units for UCS-2; null when not given
 * @param encoding the encoding {@code bodyLength} is measured in; null when not given
 */
public record MessageFacts(String eventId, String workspaceId, String subAccountId, MessageChannel channel,
                           Direction direction, String fromAddress, String toAddress, String body,
                           Integer bodyLength, TextEncoding encoding, Instant timestamp) {
}
