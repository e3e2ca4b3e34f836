package io.rebill.metering.processor;

import io.rebill.rebilling.RebillingSettingsLookup;
import io.rebill.metering.rating.RateCard;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.metering.rating.ReasonCode;
import io.rebill.topics.Topic;
import java.util.function.Function;

/**
 * One kind of usage record metering-stream rates (CDRs, message events): where it comes from, how
 * it is identified for de-duplication, and which rating decides its worth.
 */
public interface MeteredInput<V> {

    /** The source topic; its serdes also re-encode rejected records. */
    Topic<String, V> topic();

    /** Prefix of every node, store and internal topic name for this input, e.g. {@code metering-cdr}. */
    String namePrefix();

    /**
     * The key every version of this record must be under, or null when the record is too broken to
     * have one (it is then rated where it is and rejected).
     */
    String identityOrNull(V value);

    /** Higher versions correct lower ones; records without versions are always version 1. */
    int version(V value);

    /** The reason code for a record with no value at all. */
    ReasonCode invalidRecordCode();

    /** The rating, backed by the rate card and settings the processor reads. */
    Function<V, RatingOutcome> rater(RateCard rateCard, RebillingSettingsLookup settings);
}
