package io.rebill.metering.processor;

import io.rebill.metering.rating.CorrectionPolicy;
import io.rebill.metering.rating.RatedUsage;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.rating.state.MeteredUsage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * metering-stream's one processor per input: drops duplicates, rates what is new, reverses what a
 * correction replaces, and forwards {@link RatedCharge}s (keyed by workspace id) and rejections
 * ({@link DeadLetter}s keyed like the input). Records arrive keyed by their identity (see
 * {@link MeteredInput#identityOrNull}), so every version of one record meets the same store.
 *
 * <p>The de-duplication store remembers, per identity, the version rated and the charge it made,
 * for {@code rebill.metering.dedup.retention.ms} of processing time; it is written in the same
 * transaction as the outputs, so a crash can neither lose nor repeat a charge. Rejected records
 * are not remembered: once the cause is fixed they are replayed and rated as new.
 *
 * <p>A rejection's value bytes are the record re-encoded with the topic's value serde from the
 * record as read: the Processor API does not expose the original bytes. They replay on the source
 * topic as they are.
 */
public final class UsageRatingProcessor<V extends SpecificRecord> implements Processor<String, V, String, SpecificRecord> {

    public static final String RATE_CARD_STORE = "metering-rate-card-store";
    public static final String REBILLING_SETTINGS_STORE = "metering-rebilling-settings-store";
    /** Metrics group {@code stream-metering-rating-metrics}: rated, not-billable, rejected, duplicate, corrected. */
    public static final String METRICS_SCOPE = "metering-rating";

    private static final Logger log = LoggerFactory.getLogger(UsageRatingProcessor.class);

    private final MeteredInput<V> input;
    private final String dedupStoreName;
    private final Duration retention;
    private final MeteringMeters meters;
    private ProcessorContext<String, SpecificRecord> context;
    private Function<V, RatingOutcome> rater;
    private WindowStore<String, MeteredUsage> seen;
    private Sensor rated;
    private Sensor notBillable;
    private Sensor rejected;
    private Sensor duplicate;
    private Sensor corrected;

    public UsageRatingProcessor(MeteredInput<V> input, String dedupStoreName, Duration retention) {
        this(input, dedupStoreName, retention, MeteringMeters.none());
    }

    /** @param meters counts what is rated, rejected, not billable or a duplicate (see {@link MeteringMeters}) */
    public UsageRatingProcessor(MeteredInput<V> input, String dedupStoreName, Duration retention,
                                MeteringMeters meters) {
        this.input = input;
        this.dedupStoreName = dedupStoreName;
        this.retention = retention;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        KeyValueStore<String, ?> rateCard = context.getStateStore(RATE_CARD_STORE);
        KeyValueStore<String, ?> settings = context.getStateStore(REBILLING_SETTINGS_STORE);
        rater = input.rater(new SnapshotRateCard(rateCard, System::nanoTime), GlobalStoreViews.rememberedRebillingSettings(settings));
        seen = context.getStateStore(dedupStoreName);
        String task = context.taskId().toString();
        rated = sensor(task, "rated");
        notBillable = sensor(task, "not-billable");
        rejected = sensor(task, "rejected");
        duplicate = sensor(task, "duplicate");
        corrected = sensor(task, "corrected");
    }

    @Override
    public void process(Record<String, V> record) {
        V value = record.value();
        if (value == null) {
            reject(record, new RatingOutcome.Rejected(input.invalidRecordCode(), "The record has no value"));
            return;
        }
        int version = input.version(value);
        CorrectionPolicy.Decision decision = CorrectionPolicy.decide(lastSeen(record.key()), version);
        if (decision instanceof CorrectionPolicy.Duplicate dup) {
            log.debug("Dropping {} v{}: v{} was already rated", record.key(), version, dup.ratedVersion());
            duplicate.record();
            meters.duplicate();
            return;
        }
        RatingOutcome outcome = rater.apply(value);
        if (outcome instanceof RatingOutcome.Rejected rejection) {
            // A rejected correction leaves the charge it would replace in place until it is fixed and replayed.
            reject(record, rejection);
            return;
        }

        Instant now = now();
        List<RatedCharge> charges = new ArrayList<>(2);
        if (decision instanceof CorrectionPolicy.Correct correction) {
            correction.chargeToReverse().ifPresent(charge -> charges.add(RatingRecords.ratedCharge(charge.reversal(), now)));
            corrected.record();
        }
        RatedCharge charge = null;
        if (outcome instanceof RatingOutcome.Rated ratedOutcome) {
            charge = RatingRecords.ratedCharge(ratedOutcome.charge(), now);
            charges.add(charge);
            rated.record();
            meters.rated(charge.getUsageType());
        } else {
            log.debug("{} v{} is not billable: {}", record.key(), version, ((RatingOutcome.NotBillable) outcome).reason());
            notBillable.record();
            meters.notBillable();
        }
        // Decide, write, then forward: an exception before this point leaves nothing half done.
        seen.put(record.key(), new MeteredUsage(version, charge), context.currentSystemTimeMs());
        for (RatedCharge out : charges) {
            context.forward(record.withKey(out.getWorkspaceId()).withValue(out));
        }
    }

    /** The highest version remembered under the identity, with its charge. */
    private Optional<CorrectionPolicy.Seen> lastSeen(String identity) {
        if (identity == null) {
            return Optional.empty();
        }
        long now = context.currentSystemTimeMs();
        MeteredUsage latest = null;
        try (WindowStoreIterator<MeteredUsage> versions = seen.fetch(identity,
                Math.max(0, now - retention.toMillis()), Long.MAX_VALUE)) {
            while (versions.hasNext()) {
                KeyValue<Long, MeteredUsage> entry = versions.next();
                if (latest == null || entry.value.getVersion() >= latest.getVersion()) {
                    latest = entry.value;
                }
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        return Optional.of(new CorrectionPolicy.Seen(latest.getVersion(),
                Optional.ofNullable(latest.getCharge()).map(RatingRecords::ratedUsage)));
    }

    private void reject(Record<String, V> record, RatingOutcome.Rejected rejection) {
        RecordMetadata from = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("A usage record is always processed from a topic"));
        log.debug("Rejected {} from {}-{}@{}: {} {}", record.key(), from.topic(), from.partition(), from.offset(),
                rejection.reasonCode(), rejection.reason());
        DeadLetter deadLetter = DeadLetter.newBuilder()
                .setSourceTopic(input.topic().name())
                .setSourcePartition(from.partition())
                .setSourceOffset(from.offset())
                .setKey(wrap(input.topic().keySerde().serializer().serialize(input.topic().name(), record.key())))
                .setValue(wrap(input.topic().valueSerde().serializer().serialize(input.topic().name(), record.value())))
                .setReasonCode(rejection.reasonCode().name())
                .setReason(rejection.reason())
                .setApplication(context.applicationId())
                .setFailedAt(now())
                .build();
        context.forward(record.withValue(deadLetter));
        rejected.record();
        meters.rejected(rejection.reasonCode());
    }

    private Sensor sensor(String task, String operation) {
        return context.metrics().addRateTotalSensor(METRICS_SCOPE, task, input.namePrefix() + "-" + operation,
                Sensor.RecordingLevel.INFO);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }

    @Override
    public void close() {
        for (Sensor sensor : new Sensor[] {rated, notBillable, rejected, duplicate, corrected}) {
            context.metrics().removeSensor(sensor);
        }
    }
}
