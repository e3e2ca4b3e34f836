package io.rebill.topics;

import io.rebill.schemas.billing.BillingNotice;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.schemas.billing.RefillRequest;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.MessageEvent;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.DailyUsage;
import io.rebill.schemas.wallet.LedgerEntry;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import io.rebill.schemas.wallet.Plan;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.serde.AvroSerdes;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalog every service and the CLI use, built once from the serde config. Keys are
 * strings; from {@code metering.charges.rated} on, the key is the workspace id so a workspace and
 * all its sub-accounts share one partition.
 */
public final class Topics {

    /** Partitions of the usage and wallet topics; charges and commands must match to be co-partitioned. */
    public static final int DEFAULT_PARTITIONS = 6;

    private final Map<String, ?> serdeConfig;

    public final Topic<String, CallDetailRecord> cdrRaw;
    public final Topic<String, MessageEvent> messagesRaw;
    public final Topic<String, RateCardEntry> rateCard;
    public final Topic<String, RebillingSettings> rebillingSettings;
    public final Topic<String, RatedCharge> chargesRated;
    public final Topic<String, DeadLetter> chargesRejected;
    public final Topic<byte[], byte[]> meteringDeadLetter;
    public final Topic<String, WalletCommand> walletCommands;
    public final Topic<String, LedgerEntry> walletLedger;
    public final Topic<String, WalletBalance> walletBalances;
    public final Topic<String, AccessStatus> walletAccess;
    public final Topic<String, DeadLetter> walletRejected;
    public final Topic<byte[], byte[]> walletDeadLetter;
    public final Topic<String, RefillRequest> refillRequested;
    public final Topic<String, Plan> walletPlans;
    public final Topic<String, PhoneNumberStatus> walletNumbers;
    public final Topic<String, DailyUsage> walletUsageDaily;
    public final Topic<String, PaymentMethodOnFile> paymentMethods;
    public final Topic<String, RefillOutcome> refillOutcomes;
    public final Topic<String, BillingNotice> billingNotices;
    public final Topic<byte[], byte[]> billingDeadLetter;

    private Topics(Map<String, ?> serdeConfig) {
        this.serdeConfig = Map.copyOf(serdeConfig);
        cdrRaw = avro("metering.cdr.raw", CallDetailRecord.class, CleanupPolicy.DELETE);
        messagesRaw = avro("metering.messages.raw", MessageEvent.class, CleanupPolicy.DELETE);
        rateCard = avro("metering.rate-card", RateCardEntry.class, CleanupPolicy.COMPACT);
        rebillingSettings = avro("metering.rebilling-settings", RebillingSettings.class, CleanupPolicy.COMPACT);
        chargesRated = avro("metering.charges.rated", RatedCharge.class, CleanupPolicy.DELETE);
        chargesRejected = avro("metering.charges.rejected", DeadLetter.class, CleanupPolicy.DELETE);
        meteringDeadLetter = raw("metering.dead-letter");
        walletCommands = avro("wallet.commands", WalletCommand.class, CleanupPolicy.DELETE);
        walletLedger = avro("wallet.ledger", LedgerEntry.class, CleanupPolicy.DELETE);
        walletBalances = avro("wallet.balances", WalletBalance.class, CleanupPolicy.COMPACT);
        walletAccess = avro("wallet.access", AccessStatus.class, CleanupPolicy.COMPACT);
        walletRejected = avro("wallet.rejected", DeadLetter.class, CleanupPolicy.DELETE);
        walletDeadLetter = raw("wallet.dead-letter");
        refillRequested = avro("billing.refill.requested", RefillRequest.class, CleanupPolicy.DELETE);
        walletPlans = avro("wallet.plans", Plan.class, CleanupPolicy.COMPACT);
        walletNumbers = avro("wallet.numbers", PhoneNumberStatus.class, CleanupPolicy.COMPACT);
        walletUsageDaily = avro("wallet.usage.daily", DailyUsage.class, CleanupPolicy.COMPACT);
        paymentMethods = avro("billing.payment-methods", PaymentMethodOnFile.class, CleanupPolicy.COMPACT);
        refillOutcomes = avro("billing.refill-outcomes", RefillOutcome.class, CleanupPolicy.COMPACT);
        billingNotices = avro("billing.notices", BillingNotice.class, CleanupPolicy.DELETE);
        billingDeadLetter = raw("billing.dead-letter");
    }

    /** The catalog for a serde config ({@code schema.registry.url} and friends, see AvroSerdeConfig). */
    public static Topics create(Map<String, ?> serdeConfig) {
        return new Topics(serdeConfig);
    }

    /** Every topic, in the order the pipeline uses them. */
    public List<Topic<?, ?>> all() {
        return List.of(cdrRaw, messagesRaw, rateCard, rebillingSettings, chargesRated, chargesRejected,
                meteringDeadLetter, walletCommands, walletLedger, walletBalances, walletAccess, walletRejected,
                walletDeadLetter, refillRequested, walletPlans, walletNumbers, walletUsageDaily, paymentMethods,
                refillOutcomes, billingNotices, billingDeadLetter);
    }

    /** The key of a plan version on {@code wallet.plans}: {@code planId:v{version}}. */
    public static String planKey(String planId, int version) {
        return planId + ":v" + version;
    }

    /** A value serde for a state store, configured like the topics'. */
    public <T extends SpecificRecord> Serde<T> storeSerde(Class<T> type) {
        return AvroSerdes.valueSerde(type, serdeConfig);
    }

    private <V extends SpecificRecord> Topic<String, V> avro(String name, Class<V> type, CleanupPolicy policy) {
        return new Topic<>(name, Serdes.String(), AvroSerdes.valueSerde(type, serdeConfig), DEFAULT_PARTITIONS, policy);
    }

    private static Topic<byte[], byte[]> raw(String name) {
        return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray(), DEFAULT_PARTITIONS, CleanupPolicy.DELETE);
    }
}
