package io.rebill.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configs a stack hands its services and clients; nothing is started. */
class LocalStackConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveAStreamsOverrideToEveryStreamAppButNotToPlainClients() {
        LocalStack stack = new LocalStack(new LocalStack.Settings(dir, 19092, 19093, 18081, 18090, 18091, 18092, dir))
                .overrideStreamsConfig(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");

        assertThat(stack.serviceConfig()).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        assertThat(stack.meteringConfig(18092)).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        assertThat(stack.walletConfig(18090, "wallet")).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        assertThat(stack.clientConfig()).doesNotContainKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)
                .containsKey("bootstrap.servers");
    }
}
