package io.rebill.metering.processor;

import io.rebill.metering.rating.CdrRating;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.metering.rating.ReasonCode;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.topics.Topic;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rates each CDR of {@code metering.cdr.raw} against the rate-card and re-billing-settings global
 * tables and forwards the outcome: a {@link RatedCharge} keyed by workspace id to
 * {@link #RATED_CHILD}, or a {@link DeadLetter} keyed like the CDR to {@link #REJECTED_CHILD}.
 * Not-billable calls are counted and logged at debug. The decision is {@link CdrRating}'s.
 *
 * <p>The two stores are global, so they are not declared through {@code ProcessorSupplier.stores()}
 * (that would create task-local copies); every task reads them by name.
 *
 * <p>A rejection's value bytes are the CDR re-encoded with the topic's value serde from the record
 * as read, not the bytes the carrier wrote: the Processor API does not expose those. They replay on
 * {@code metering.cdr.raw} as they are; a field the carrier's newer schema had and ours lacks is lost.
 */
public final class CdrRatingProcessor implements Processor<String, CallDetailRecord, String, SpecificRecord> {

    public static final String RATE_CARD_STORE = "metering-rate-card-store";
    public static final String REBILLING_SETTINGS_STORE = "metering-rebilling-settings-store";
    /** The child node that receives rated charges; the topology names its sink so. */
    public static final String RATED_CHILD = "metering-charges-rated-sink";
    /** The child node that receives rejections; the topology names its sink so. */
    public static final String REJECTED_CHILD = "metering-charges-rejected-sink";
    /** Metrics group {@code stream-metering-rating-metrics}: rated, not-billable and rejected rate and total per task. */
    public static final String METRICS_SCOPE = "metering-rating";

    private static final Logger log = LoggerFactory.getLogger(CdrRatingProcessor.class);

    private final Topic<String, CallDetailRecord> source;
    private ProcessorContext<String, SpecificRecord> context;
    private CdrRating rating;
    private Sensor ratedSensor;
    private Sensor notBillableSensor;
    private Sensor rejectedSensor;

    /** @param source the CDR topic, whose serdes re-encode a rejected CDR */
    public CdrRatingProcessor(Topic<String, CallDetailRecord> source) {
        this.source = source;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        KeyValueStore<String, ?> rateCard = context.getStateStore(RATE_CARD_STORE);
        KeyValueStore<String, ?> settings = context.getStateStore(REBILLING_SETTINGS_STORE);
        rating = new CdrRating(GlobalTables.rateCard(rateCard), GlobalTables.rebillingSettings(settings));
        String task = context.taskId().toString();
        ratedSensor = sensor(task, "rated");
        notBillableSensor = sensor(task, "not-billable");
        rejectedSensor = sensor(task, "rejected");
    }

    @Override
    public void process(Record<String, CallDetailRecord> record) {
        if (record.value() == null) {
            reject(record, new RatingOutcome.Rejected(ReasonCode.INVALID_CDR, "Invalid CDR: the record has no value"));
            return;
        }
        RatingOutcome outcome = rating.rate(RatingRecords.callFacts(record.value()));
        if (outcome instanceof RatingOutcome.Rated rated) {
            RatedCharge charge = RatingRecords.ratedCharge(rated.charge(), now());
            context.forward(record.withKey(charge.getWorkspaceId()).withValue(charge), RATED_CHILD);
            ratedSensor.record();
        } else if (outcome instanceof RatingOutcome.NotBillable notBillable) {
            log.debug("CDR {} is not billable: {}", record.key(), notBillable.reason());
            notBillableSensor.record();
        } else {
            reject(record, (RatingOutcome.Rejected) outcome);
        }
    }

    @Override
    public void close() {
        context.metrics().removeSensor(ratedSensor);
        context.metrics().removeSensor(notBillableSensor);
        context.metrics().removeSensor(rejectedSensor);
    }

    private void reject(Record<String, CallDetailRecord> record, RatingOutcome.Rejected rejected) {
        RecordMetadata from = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("A CDR is always processed from its source topic"));
        log.debug("Rejected CDR {} from {}-{}@{}: {} {}", record.key(), from.topic(), from.partition(), from.offset(),
                rejected.reasonCode(), rejected.reason());
        DeadLetter deadLetter = DeadLetter.newBuilder()
                .setSourceTopic(from.topic())
                .setSourcePartition(from.partition())
                .setSourceOffset(from.offset())
                .setKey(wrap(source.keySerde().serializer().serialize(from.topic(), record.key())))
                .setValue(wrap(source.valueSerde().serializer().serialize(from.topic(), record.value())))
                .setReasonCode(rejected.reasonCode().name())
                .setReason(rejected.reason())
                .setApplication(context.applicationId())
                .setFailedAt(now())
                .build();
        context.forward(record.withValue(deadLetter), REJECTED_CHILD);
        rejectedSensor.record();
    }

    private Sensor sensor(String task, String operation) {
        return context.metrics().addRateTotalSensor(METRICS_SCOPE, task, operation, Sensor.RecordingLevel.INFO);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }
}
