package io.rebill.wallet.processor;

import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.schemas.wallet.state.WorkspaceWallets;
import io.rebill.topics.Topic;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.LedgerResult;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.WalletRef;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the charge and command processors have in common: skip an id already applied, load the
 * workspace's wallets, let {@link io.rebill.wallet.ledger.WalletLedger} decide, then write the
 * wallets and the applied id and publish the ledger entries and new balances, or publish the
 * rejection. Records arrive keyed by workspace id, so a workspace's wallets live in one task.
 *
 * @param <V> the value type of the input topic
 */
public abstract class WalletProcessor<V extends SpecificRecord>
        extends ContextualProcessor<String, V, String, SpecificRecord> {

    /** Child that writes {@link LedgerEntry} records, keyed by workspace id, to {@code wallet.ledger}. */
    public static final String LEDGER_SINK = "wallet-ledger-sink";
    /** Child that writes {@link WalletBalance} records, keyed by wallet id, to {@code wallet.balances}. */
    public static final String BALANCES_SINK = "wallet-balances-sink";
    /** Child that writes {@link DeadLetter} records, keyed by the source key, to {@code wallet.rejected}. */
    public static final String REJECTED_SINK = "wallet-rejected-sink";

    /** Reason code of a record without a key: its workspace, and so its wallets, are unknown. */
    public static final String MISSING_KEY = "MISSING_KEY";
    /** Reason code of a record with a null value (a tombstone), which means nothing to a wallet. */
    public static final String MISSING_VALUE = "MISSING_VALUE";

    private static final Logger log = LoggerFactory.getLogger(WalletProcessor.class);

    private final Topic<String, V> source;
    private Serializer<String> sourceKeySerializer;
    private Serializer<V> sourceValueSerializer;
    private KeyValueStore<String, WorkspaceWallets> wallets;
    private KeyValueStore<String, Long> appliedReferences;

    protected WalletProcessor(Topic<String, V> source) {
        this.source = source;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        wallets = context.getStateStore(WalletStores.WALLETS);
        appliedReferences = context.getStateStore(WalletStores.APPLIED_REFERENCES);
        sourceKeySerializer = source.keySerde().serializer();
        sourceValueSerializer = source.valueSerde().serializer();
    }

    /** The {@link WalletStores#APPLIED_REFERENCES} key of this charge or command. */
    protected abstract String reference(V value);

    /** The ledger's decision for this charge or command. */
    protected abstract LedgerResult apply(DoubleWallet wallets, V value, Instant appliedAt);

    @Override
    public void process(Record<String, V> record) {
        Instant now = Instant.ofEpochMilli(context().currentSystemTimeMs());
        String workspaceId = record.key();
        if (workspaceId == null) {
            reject(record, MISSING_KEY, "Record has no key; " + source.name() + " is keyed by workspace id", now);
            return;
        }
        if (record.value() == null) {
            reject(record, MISSING_VALUE, "Record for workspace " + workspaceId + " has a null value", now);
            return;
        }
        String reference = reference(record.value());
        if (appliedReferences.get(reference) != null) {
            log.debug("Skipping {} for workspace {}: already applied", reference, workspaceId);
            return;
        }

        DoubleWallet before = WalletRecords.toDomain(workspaceId, wallets.get(workspaceId));
        LedgerResult result = apply(before, record.value(), now);
        if (result instanceof LedgerResult.Rejected rejected) {
            reject(record, rejected.code().name(), rejected.reason(), now);
            return;
        }
        LedgerResult.Applied applied = (LedgerResult.Applied) result;
        // Everything is translated before the first write, so a failure here leaves no half change.
        List<LedgerEntry> entries = applied.postings().stream()
                .map(posting -> WalletRecords.toLedgerEntry(posting, now))
                .toList();
        List<WalletBalance> balances = applied.touchedWallets().stream()
                .map(ref -> WalletRecords.toBalance(ref, walletOf(applied.state(), ref)))
                .toList();
        WorkspaceWallets stored = WalletRecords.toStored(applied.state());

        if (!entries.isEmpty()) {
            wallets.put(workspaceId, stored);
        }
        appliedReferences.put(reference, now.toEpochMilli());
        for (LedgerEntry entry : entries) {
            context().forward(new Record<>(workspaceId, entry, record.timestamp()), LEDGER_SINK);
        }
        for (WalletBalance balance : balances) {
            context().forward(new Record<>(balance.getWalletId(), balance, record.timestamp()), BALANCES_SINK);
        }
    }

    private static Wallet walletOf(DoubleWallet state, WalletRef ref) {
        return state.wallet(ref).orElseThrow(() -> new IllegalStateException(
                "Ledger posted to wallet " + ref.walletId() + " but did not keep it"));
    }

    /**
     * Publishes a {@link DeadLetter} for a record the wallet refused. The record was readable, so
     * its key and value are re-encoded from the record as read with the source topic's serdes: the
     * bytes are a faithful replay copy, not necessarily identical to the producer's (another
     * writer schema id, for example). Rejections are not remembered as applied, so a record can
     * be replayed once its cause is fixed.
     */
    private void reject(Record<String, V> record, String reasonCode, String reason, Instant now) {
        Optional<RecordMetadata> metadata = context().recordMetadata();
        String topic = metadata.map(RecordMetadata::topic).orElse(source.name());
        int partition = metadata.map(RecordMetadata::partition).orElse(-1);
        long offset = metadata.map(RecordMetadata::offset).orElse(-1L);
        log.info("Rejected {}-{}@{} for workspace {}: {} {}", topic, partition, offset, record.key(), reasonCode,
                reason);
        DeadLetter deadLetter = DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setKey(bytes(sourceKeySerializer.serialize(source.name(), record.key())))
                .setValue(bytes(sourceValueSerializer.serialize(source.name(), record.value())))
                .setReasonCode(reasonCode)
                .setReason(reason)
                .setApplication(context().applicationId())
                .setFailedAt(now)
                .build();
        context().forward(new Record<>(record.key(), deadLetter, record.timestamp()), REJECTED_SINK);
    }

    private static ByteBuffer bytes(byte[] serialized) {
        return serialized == null ? null : ByteBuffer.wrap(serialized);
    }
}
