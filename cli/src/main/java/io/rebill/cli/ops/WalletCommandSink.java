package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.topics.Topics;

/**
 * Where {@code rebill wallet} commands put the commands they build: {@code wallet.commands} on a
 * running pipeline, or a list in tests.
 */
public interface WalletCommandSink extends AutoCloseable {

    @FunctionalInterface
    interface Opener {
        WalletCommandSink open(KafkaOptions kafka);
    }

    /** Sends the command keyed by its workspace and returns once Kafka acknowledged it. */
    void sendAndFlush(WalletCommand command);

    @Override
    void close();

    /** The real one: checks that Kafka and the registry answer before building a producer. */
    static WalletCommandSink kafka(KafkaOptions kafka) {
        Topics topics = kafka.topics();
        kafka.requireKafka(topics.walletCommands.name());
        kafka.requireRegistry();
        CatalogProducer producer = new CatalogProducer(kafka.clientConfig());
        return new WalletCommandSink() {
            @Override
            public void sendAndFlush(WalletCommand command) {
                producer.send(topics.walletCommands, command.getWorkspaceId(), command);
                producer.flush();
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }
}
