package io.rebill.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.schemas.wallet.ManualCredit;
import io.rebill.schemas.wallet.WalletCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack keeps its data in one folder across restarts, and --fresh wipes it. */
class LocalStackIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTopicsRecordsAndSchemaIdsAcrossRestartUntilWiped() throws Exception {
        WalletCommand credit = WalletCommand.newBuilder().setCommandId("restart-1").setWorkspaceId("ws-restart")
                .setIssuedAt(Instant.parse("2026-11-20T10:00:00Z"))
                .setPayload(new ManualCredit(5_000_000L, "USD", "kept across restarts")).build();
        try (LocalStack first = new LocalStack(LocalStack.Settings.withFreePorts(dataDir)).startInfrastructure();
             CatalogProducer producer = new CatalogProducer(first.clientConfig())) {
            producer.send(first.topics().walletCommands, "ws-restart", credit);
            producer.flush();
        }

        // New ports, same folder: the broker's log and the registry's database are what carry over.
        try (LocalStack second = new LocalStack(LocalStack.Settings.withFreePorts(dataDir)).startInfrastructure()) {
            assertThat(TopicReader.readAll(second.clientConfig(), second.topics().walletCommands, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly(credit);
        }

        LocalStack.wipe(dataDir);
        assertThat(Files.exists(dataDir)).isFalse();
    }
}
