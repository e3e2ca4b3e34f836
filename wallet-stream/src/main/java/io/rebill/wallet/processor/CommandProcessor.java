package io.rebill.wallet.processor;

import io.rebill.schemas.wallet.WalletCommand;
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
 * Applies each {@link WalletCommand} from {@code wallet.commands} (top-ups written back by
 * billing-sink, manual credits and adjustments from operators) to the wallet it targets.
 */
public final class CommandProcessor extends WalletProcessor<WalletCommand> {

    private CommandProcessor(Topics topics) {
        super(topics.walletCommands);
    }

    /** A supplier that brings the shared {@link WalletStores} with it. */
    public static ProcessorSupplier<String, WalletCommand, String, SpecificRecord> supplier(Topics topics,
                                                                                            WalletStores stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, WalletCommand, String, SpecificRecord> get() {
                return new CommandProcessor(topics);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores.builders();
            }
        };
    }

    @Override
    protected String reference(WalletCommand command) {
        return WalletStores.commandReference(command.getCommandId());
    }

    @Override
    protected LedgerResult apply(DoubleWallet wallets, WalletCommand command, Instant appliedAt) {
        return WalletLedger.applyCommand(wallets, WalletRecords.toCommand(command), appliedAt);
    }
}
