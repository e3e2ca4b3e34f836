package io.rebill.wallet.processor;

import io.rebill.schemas.rating.RatedCharge;
import io.rebill.topics.Topics;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.LedgerResult;
import io.rebill.wallet.ledger.WalletLedger;
import java.time.Instant;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Applies each {@link RatedCharge} from {@code metering.charges.rated} to the double wallet: the
 * workspace pays the platform cost, a re-billed sub-account pays the price, both in one store write.
 */
public final class ChargeProcessor extends WalletProcessor<RatedCharge> {

    private ChargeProcessor(Topics topics) {
        super(topics.chargesRated);
    }

    /** A supplier that brings the shared {@link WalletStores} with it. */
    public static ProcessorSupplier<String, RatedCharge, String, SpecificRecord> supplier(Topics topics,
                                                                                          WalletStores stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, RatedCharge, String, SpecificRecord> get() {
                return new ChargeProcessor(topics);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores.builders();
            }
        };
    }

    @Override
    protected String reference(RatedCharge charge) {
        return WalletStores.chargeReference(charge.getChargeId());
    }

    @Override
    protected LedgerResult apply(DoubleWallet wallets, RatedCharge charge, Instant appliedAt) {
        return WalletLedger.applyCharge(wallets, WalletRecords.toCharge(charge), appliedAt);
    }
}
