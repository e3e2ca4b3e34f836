package io.rebill.metering.rating;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import java.time.Instant;

/**
 * What rating needs to know about one call, as the carrier reported it (a CDR from
 * {@code metering.cdr.raw}), unchecked: {@link CdrRating} decides whether it makes sense.
 *
 * @param toNumber the called number as sent; it sets the price in both directions
 * @param answerTime when the call was answered, or null (not answered, or not reported)
 */
public record CallFacts(String carrierId, String cdrId, int version, String workspaceId, String subAccountId,
                        CallService service, Direction direction, String toNumber, Instant startTime,
                        Instant answerTime, Instant endTime, int billableSeconds, CallDisposition disposition) {
}
