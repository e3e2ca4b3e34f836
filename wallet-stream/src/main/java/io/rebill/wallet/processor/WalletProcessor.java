package io.rebill.wallet.processor;

import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.ChargeKind;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.DailyUsage;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.schemas.wallet.state.AllowanceState;
import io.rebill.schemas.wallet.state.RecentLedgerEntry;
import io.rebill.schemas.wallet.state.UsageTotals;
import io.rebill.schemas.wallet.state.WorkspaceDayUsage;
import io.rebill.schemas.wallet.state.WalletAccount;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;
import io.rebill.wallet.allowance.Allowance;
import io.rebill.wallet.book.AppliedCharge;
import io.rebill.wallet.book.ChargeInput;
import io.rebill.wallet.book.Outcome;
import io.rebill.wallet.book.WalletRules;
import io.rebill.wallet.book.WorkspaceBook;
import io.rebill.wallet.book.WorkspaceState;
import io.rebill.wallet.ledger.LedgerCommand;
import io.rebill.wallet.ledger.Posting;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.WalletIds;
import io.rebill.wallet.ledger.WalletRef;
import io.rebill.wallet.numbers.NumberStatus;
import io.rebill.wallet.numbers.PhoneNumber;
import io.rebill.wallet.usage.DailyUsage.Settled;
import io.rebill.wallet.usage.DailyUsage.Totals;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * wallet-stream's one processor: rated charges and wallet commands, both keyed by workspace id,
 * and a wall-clock punctuation for number renewals and refill retries. For each it loads the
 * workspace's state from the {@link WalletStores}, lets the {@link WorkspaceBook} decide, writes
 * the stores and forwards what to publish: ledger entries, balances, access changes, refill
 * requests, number statuses, daily usage, or the rejection. Exactly-once v2 makes the writes and
 * the outputs one transaction; a charge or command id already applied is skipped.
 */
public final class WalletProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    public static final String SETTINGS_STORE = "wallet-rebilling-settings-store";
    public static final String PLANS_STORE = "wallet-plans-store";

    /** Reason code of a record without a key: its workspace, and so its wallets, are unknown. */
    public static final String MISSING_KEY = "MISSING_KEY";
    /** Reason code of a record with a null value (a tombstone), which means nothing to a wallet. */
    public static final String MISSING_VALUE = "MISSING_VALUE";

    private static final Logger log = LoggerFactory.getLogger(WalletProcessor.class);
    private static final Serializer<String> STRING_SERIALIZER = Serdes.String().serializer();

    private final Topics topics;
    private final WalletRules rules;
    private final Duration punctuateInterval;
    private final Duration dailyUsageRetention;
    private final WalletMeters meters;
    private ProcessorContext<String, SpecificRecord> context;
    private WorkspaceBook book;
    private KeyValueStore<String, WalletAccount> wallets;
    private KeyValueStore<String, Long> appliedReferences;
    private KeyValueStore<String, io.rebill.schemas.wallet.state.AppliedCharge> appliedCharges;
    private KeyValueStore<String, AllowanceState> allowances;
    private KeyValueStore<String, PhoneNumberStatus> numbers;
    private KeyValueStore<String, RecentLedgerEntry> ledger;
    private WindowStore<String, WorkspaceDayUsage> dailyUsage;

    public WalletProcessor(Topics topics, WalletRules rules, Duration punctuateInterval, Duration dailyUsageRetention) {
        this(topics, rules, punctuateInterval, dailyUsageRetention, WalletMeters.none());
    }

    /** @param meters counts charges applied, refills requested and rejections (see {@link WalletMeters}) */
    public WalletProcessor(Topics topics, WalletRules rules, Duration punctuateInterval, Duration dailyUsageRetention,
                           WalletMeters meters) {
        this.meters = meters;
        this.topics = topics;
        this.rules = rules;
        this.punctuateInterval = punctuateInterval;
        this.dailyUsageRetention = dailyUsageRetention;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        KeyValueStore<String, ?> settings = context.getStateStore(SETTINGS_STORE);
        ReadOnlyKeyValueStore<String, ?> plans = context.getStateStore(PLANS_STORE);
        book = new WorkspaceBook(rules, new GlobalReferenceData(settings, plans));
        wallets = context.getStateStore(WalletStores.WALLETS);
        appliedReferences = context.getStateStore(WalletStores.APPLIED_REFERENCES);
        appliedCharges = context.getStateStore(WalletStores.APPLIED_CHARGES);
        allowances = context.getStateStore(WalletStores.ALLOWANCES);
        numbers = context.getStateStore(WalletStores.NUMBERS);
        ledger = context.getStateStore(WalletStores.LEDGER);
        dailyUsage = context.getStateStore(WalletStores.DAILY_USAGE);
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = now();
        if (record.key() == null) {
            reject(record, MISSING_KEY, "Record has no key; wallet-stream's inputs are keyed by workspace id", now);
        } else if (record.value() == null) {
            reject(record, MISSING_VALUE, "Record for workspace " + record.key() + " has a null value", now);
        } else if (record.value() instanceof RatedCharge charge) {
            applyCharge(record, charge, now);
        } else if (record.value() instanceof WalletCommand command) {
            applyCommand(record, command, now);
        } else {
            throw new IllegalStateException("Unexpected input " + record.value().getClass().getName());
        }
    }

    private void applyCharge(Record<String, SpecificRecord> record, RatedCharge charge, Instant now) {
        if (appliedCharges.get(charge.getChargeId()) != null) {
            log.debug("Skipping charge {} for workspace {}: already applied", charge.getChargeId(), record.key());
            return;
        }
        Optional<AppliedCharge> original = Optional.empty();
        if (charge.getKind() == ChargeKind.REVERSAL && charge.getReversesChargeId() != null) {
            original = Optional.ofNullable(appliedCharges.get(charge.getReversesChargeId())).map(StateRecords::toDomain);
        }
        ChargeInput input = new ChargeInput(WalletRecords.toCharge(charge), charge.getUsageType(),
                charge.getQuantityUnit(), charge.getBillableQuantity(), original);
        WorkspaceState state = load(record.key(), charge.getSubAccountId(), false);
        Outcome outcome = book.applyCharge(state, input, now);
        if (outcome instanceof Outcome.Incomplete) {
            state = load(record.key(), charge.getSubAccountId(), true);
            outcome = book.applyCharge(state, input, now);
        }
        if (outcome instanceof Outcome.Rejected rejected) {
            reject(record, rejected.reasonCode(), rejected.reason(), now);
            return;
        }
        Outcome.Applied applied = (Outcome.Applied) outcome;
        meters.chargeApplied();
        applied.appliedCharge().ifPresent(a -> appliedCharges.put(charge.getChargeId(), StateRecords.toStored(a, now)));
        save(record.key(), state, applied, now, record.timestamp());
        applied.settled().ifPresent(settled -> addDailyUsage(record.key(), settled, charge.getEventTime(), now,
                record.timestamp()));
    }

    private void applyCommand(Record<String, SpecificRecord> record, WalletCommand command, Instant now) {
        String reference = WalletStores.commandReference(command.getCommandId());
        if (appliedReferences.get(reference) != null) {
            log.debug("Skipping command {} for workspace {}: already applied", command.getCommandId(), record.key());
            return;
        }
        LedgerCommand domain;
        try {
            domain = WalletRecords.toCommand(command);
        } catch (IllegalArgumentException e) {
            reject(record, "INVALID_COMMAND", "Command " + command.getCommandId() + ": " + e.getMessage(), now);
            return;
        }
        if (!record.key().equals(command.getWorkspaceId())) {
            reject(record, "WORKSPACE_MISMATCH", "Command " + command.getCommandId() + " names workspace "
                    + command.getWorkspaceId() + " but is keyed " + record.key(), now);
            return;
        }
        // As for charges, the wallets the command names; the whole workspace only when the book asks for
        // it (the workspace wallet crossed empty). Loading every sub-account for each command made
        // opening the wallets of a workspace take time growing with the square of its sub-accounts.
        Set<String> payers = payerOfNamedNumber(record.key(), domain);
        WorkspaceState state = load(record.key(), command.getSubAccountId(), payers, false);
        Outcome outcome = book.applyCommand(state, domain, now);
        if (outcome instanceof Outcome.Incomplete) {
            state = load(record.key(), command.getSubAccountId(), true);
            outcome = book.applyCommand(state, domain, now);
        }
        if (outcome instanceof Outcome.Rejected rejected) {
            reject(record, rejected.reasonCode(), rejected.reason(), now);
            return;
        }
        appliedReferences.put(reference, now.toEpochMilli());
        save(record.key(), state, (Outcome.Applied) outcome, now, record.timestamp());
    }

    /**
     * Number renewals that fell due, refills whose back-off ended, and access changes a re-billing
     * settings change calls for, for every workspace of this task.
     */
    private void punctuate(long timestamp) {
        Instant now = Instant.ofEpochMilli(timestamp);
        Set<String> workspaces = new LinkedHashSet<>();
        try (KeyValueIterator<String, WalletAccount> all = wallets.all()) {
            all.forEachRemaining(entry -> workspaces.add(entry.key.contains("/")
                    ? entry.key.substring(0, entry.key.indexOf('/')) : entry.key));
        }
        for (String workspaceId : workspaces) {
            WorkspaceState state = load(workspaceId, null, true);
            Outcome.Applied renewed = (Outcome.Applied) book.renewNumbers(state, now);
            save(workspaceId, state, renewed, now, timestamp);
            Outcome.Applied retried = (Outcome.Applied) book.retryRefills(renewed.state(), now);
            save(workspaceId, renewed.state(), retried, now, timestamp);
            Outcome.Applied reviewed = (Outcome.Applied) book.reviewAccess(retried.state(), now);
            save(workspaceId, retried.state(), reviewed, now, timestamp);
        }
    }

    /** A number command may renew the number, which its own sub-account pays for. */
    private Set<String> payerOfNamedNumber(String workspaceId, LedgerCommand command) {
        if (command.payload() instanceof LedgerCommand.NumberAction action) {
            PhoneNumberStatus number = numbers.get(WalletStores.numberKey(workspaceId, action.number()));
            if (number != null && number.getSubAccountId() != null) {
                return Set.of(number.getSubAccountId());
            }
        }
        return Set.of();
    }

    private WorkspaceState load(String workspaceId, String subAccountId, boolean allSubAccounts) {
        return load(workspaceId, subAccountId, Set.of(), allSubAccounts);
    }

    /**
     * The workspace wallet, its numbers and the allowance of the sub-account the record concerns,
     * with the wallets of that sub-account, of {@code alsoSubAccounts} and of those paying for
     * numbers on hold, or of every sub-account when {@code allSubAccounts}.
     */
    private WorkspaceState load(String workspaceId, String subAccountId, Set<String> alsoSubAccounts,
                                boolean allSubAccounts) {
        boolean concernsSubAccount = subAccountId != null && !subAccountId.isBlank();
        Map<String, PhoneNumber> workspaceNumbers = new LinkedHashMap<>();
        try (KeyValueIterator<String, PhoneNumberStatus> rented = numbers.prefixScan(
                WalletStores.numberKey(workspaceId, ""), STRING_SERIALIZER)) {
            rented.forEachRemaining(entry -> workspaceNumbers.put(entry.value.getNumber(),
                    StateRecords.toDomain(entry.value)));
        }
        Map<String, WalletAccount> subAccountEntries = new TreeMap<>();
        if (allSubAccounts) {
            String prefix = WalletIds.subAccount(workspaceId, "");
            try (KeyValueIterator<String, WalletAccount> entries = wallets.prefixScan(prefix, STRING_SERIALIZER)) {
                entries.forEachRemaining(entry -> subAccountEntries.put(entry.key.substring(prefix.length()),
                        entry.value));
            }
        } else {
            Set<String> needed = new TreeSet<>(alsoSubAccounts);
            if (concernsSubAccount) {
                needed.add(subAccountId);
            }
            // Money arriving renews numbers on hold, which their own sub-accounts may pay for.
            workspaceNumbers.values().stream()
                    .filter(number -> number.status() == NumberStatus.ON_HOLD && number.subAccountId() != null)
                    .forEach(number -> needed.add(number.subAccountId()));
            for (String id : needed) {
                WalletAccount entry = wallets.get(WalletIds.subAccount(workspaceId, id));
                if (entry != null) {
                    subAccountEntries.put(id, entry);
                }
            }
        }
        StateRecords.Workspace stored = StateRecords.toDomain(workspaceId, wallets.get(WalletIds.workspace(workspaceId)),
                subAccountEntries);
        Map<String, Allowance> subAccountAllowances = new HashMap<>();
        if (concernsSubAccount) {
            AllowanceState allowance = allowances.get(WalletStores.subAccountKey(workspaceId, subAccountId));
            if (allowance != null) {
                subAccountAllowances.put(subAccountId, StateRecords.toDomain(allowance));
            }
        }
        return new WorkspaceState(stored.wallets(), stored.refills(), stored.access(), subAccountAllowances,
                workspaceNumbers, allSubAccounts);
    }

    /** Writes what changed, then forwards what to publish; everything was decided before the first write. */
    private void save(String workspaceId, WorkspaceState before, Outcome.Applied applied, Instant now, long timestamp) {
        WorkspaceState after = applied.state();
        List<LedgerEntry> entries = applied.postings().stream()
                .map(posting -> WalletRecords.toLedgerEntry(posting, now)).toList();
        Set<WalletRef> changedWallets = new LinkedHashSet<>(applied.touchedWallets());
        applied.changedRefills().forEach(walletId -> changedWallets.add(WalletRef.of(workspaceId, walletId)));
        applied.accessChanges().keySet().forEach(subAccountId ->
                changedWallets.add(WalletRef.subAccount(workspaceId, subAccountId)));
        for (WalletRef ref : changedWallets) {
            wallets.put(ref.walletId(), StateRecords.toStored(after.wallets().wallet(ref).orElse(null),
                    after.refills().get(ref.walletId()),
                    ref.isWorkspace() ? null : after.publishedAccess().get(ref.subAccountId())));
        }
        for (String subAccountId : applied.changedAllowances()) {
            allowances.put(WalletStores.subAccountKey(workspaceId, subAccountId),
                    StateRecords.toStored(after.allowances().get(subAccountId)));
        }
        List<PhoneNumberStatus> numberStatuses = new ArrayList<>();
        for (PhoneNumber number : applied.numberChanges()) {
            PhoneNumberStatus status = StateRecords.toStored(number, now);
            numbers.put(WalletStores.numberKey(workspaceId, number.number()), status);
            numberStatuses.add(status);
        }
        keepRecentLedger(before, applied.postings(), entries);

        for (LedgerEntry entry : entries) {
            forward(workspaceId, entry, timestamp);
        }
        for (WalletRef ref : applied.touchedWallets()) {
            Wallet wallet = after.wallets().wallet(ref).orElseThrow();
            forward(ref.walletId(), WalletRecords.toBalance(ref, wallet), timestamp);
        }
        meters.refillsRequested(applied.refillRequests().size());
        for (io.rebill.wallet.refill.RefillRequest request : applied.refillRequests()) {
            forward(workspaceId, StateRecords.toRecord(request, workspaceId, currencyOf(after, request.walletId())),
                    timestamp);
        }
        applied.accessChanges().forEach((subAccountId, decision) ->
                forward(subAccountId, StateRecords.toRecord(workspaceId, subAccountId, decision, now), timestamp));
        for (PhoneNumberStatus status : numberStatuses) {
            forward(status.getNumber(), status, timestamp);
        }
    }

    /** Each wallet's latest entries, each in the slot of its sequence (see {@link WalletStores#LEDGER}). */
    private void keepRecentLedger(WorkspaceState before, List<Posting> postings, List<LedgerEntry> entries) {
        Map<String, Long> sequences = new HashMap<>();
        for (int i = 0; i < postings.size(); i++) {
            WalletRef ref = postings.get(i).wallet();
            long sequence = sequences.merge(ref.walletId(),
                    before.wallets().wallet(ref).map(Wallet::entryCount).orElse(0L) + 1, (a, b) -> a + 1);
            ledger.put(WalletStores.ledgerSlotKey(ref.walletId(), sequence), new RecentLedgerEntry(sequence,
                    entries.get(i)));
        }
    }

    /**
     * Adds a settled charge to its workspace's totals for the UTC day of the usage and publishes the
     * sub-account's new total. A charge for a day older than the aggregate keeps is left out of
     * it, rather than publishing a total that would forget what came before.
     */
    private void addDailyUsage(String workspaceId, Settled settled, Instant eventTime, Instant now, long timestamp) {
        Instant day = eventTime.truncatedTo(ChronoUnit.DAYS);
        if (day.isBefore(now.minus(dailyUsageRetention))) {
            log.debug("Charge for {} is older than the daily usage kept ({}); not aggregated", day, dailyUsageRetention);
            return;
        }
        String usageKey = WalletStores.usageKey(workspaceId, settled.subAccountId());
        WorkspaceDayUsage stored = dailyUsage.fetch(usageKey, day.toEpochMilli());
        Map<String, Totals> totals = new HashMap<>();
        if (stored != null) {
            stored.getTotals().forEach((key, value) -> totals.put(key, new Totals(value.getSubAccountId(),
                    value.getUsageType(), value.getQuantityUnit(), value.getCurrency(), value.getUnits(),
                    value.getCharges(), value.getCostMicros(), value.getPriceMicros())));
        }
        Map<String, Totals> next = io.rebill.wallet.usage.DailyUsage.add(totals, settled);
        Map<String, UsageTotals> toStore = new HashMap<>();
        next.forEach((key, value) -> toStore.put(key, new UsageTotals(value.subAccountId(), value.usageType(),
                value.quantityUnit(), value.currency(), value.units(), value.charges(), value.costMicros(),
                value.priceMicros())));
        dailyUsage.put(usageKey, new WorkspaceDayUsage(toStore), day.toEpochMilli());
        Totals changed = next.get(io.rebill.wallet.usage.DailyUsage.key(settled.subAccountId(), settled.usageType()));
        String date = day.atZone(ZoneOffset.UTC).toLocalDate().toString();
        DailyUsage row = DailyUsage.newBuilder()
                .setWorkspaceId(workspaceId)
                .setSubAccountId(changed.subAccountId())
                .setDay(day.atZone(ZoneOffset.UTC).toLocalDate())
                .setUsageType(changed.usageType())
                .setQuantityUnit(changed.quantityUnit())
                .setUnits(changed.units())
                .setCharges(changed.charges())
                .setCurrency(changed.currency())
                .setCostMicros(changed.costMicros())
                .setPriceMicros(changed.priceMicros())
                .setMarginMicros(changed.marginMicros())
                .setUpdatedAt(now)
                .build();
        forward(workspaceId + "/" + changed.subAccountId() + "/" + date + "/" + changed.usageType(), row, timestamp);
    }

    private static String currencyOf(WorkspaceState state, String walletId) {
        return state.wallets().wallet(WalletRef.of(state.wallets().workspaceId(), walletId)).map(Wallet::currency)
                .orElse("XXX");
    }

    private void forward(String key, SpecificRecord value, long timestamp) {
        context.forward(new Record<>(key, value, timestamp));
    }

    /**
     * Publishes a {@link DeadLetter} for a record the wallet refused, with the record re-encoded
     * from what was read (a faithful replay copy). Rejections are not remembered as applied, so a
     * record can be replayed once its cause is fixed.
     */
    private void reject(Record<String, SpecificRecord> record, String reasonCode, String reason, Instant now) {
        Topic<String, ? extends SpecificRecord> source = record.value() instanceof WalletCommand
                ? topics.walletCommands : topics.chargesRated;
        Optional<RecordMetadata> metadata = context.recordMetadata();
        String topic = metadata.map(RecordMetadata::topic).orElse(source.name());
        log.info("Rejected {}-{}@{} for workspace {}: {} {}", topic, metadata.map(RecordMetadata::partition).orElse(-1),
                metadata.map(RecordMetadata::offset).orElse(-1L), record.key(), reasonCode, reason);
        DeadLetter deadLetter = DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(metadata.map(RecordMetadata::partition).orElse(-1))
                .setSourceOffset(metadata.map(RecordMetadata::offset).orElse(-1L))
                .setKey(bytes(source.keySerde().serializer().serialize(source.name(), record.key())))
                .setValue(bytes(serializeValue(source, record.value())))
                .setReasonCode(reasonCode)
                .setReason(reason)
                .setApplication(context.applicationId())
                .setFailedAt(now)
                .build();
        context.forward(new Record<>(record.key(), deadLetter, record.timestamp()));
        meters.rejected(reasonCode);
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> byte[] serializeValue(Topic<String, V> topic, SpecificRecord value) {
        return value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), (V) value);
    }

    private static ByteBuffer bytes(byte[] serialized) {
        return serialized == null ? null : ByteBuffer.wrap(serialized);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
