package io.rebill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KafkaOptionsTest {

    private static KafkaOptions parse(String... args) {
        KafkaOptions options = new KafkaOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void shouldDefaultToTheLocalStacksBrokerAndRegistryWhenNoOptionsAreGiven() {
        KafkaOptions options = parse();

        assertThat(options.clientConfig()).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(options.kafkaConfig()).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void shouldFailWithinTheCheckTimeoutWhenAPortAnswersButNoKafkaDoes() throws Exception {
        // Accepts connections (the kernel completes them) but never answers a request.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            KafkaOptions options = parse("--bootstrap-servers", "127.0.0.1:" + silent.getLocalPort());

            long start = System.nanoTime();
            assertThatThrownBy(options::requireKafka).isInstanceOf(UserException.class)
                    .hasMessage("Kafka at 127.0.0.1:" + silent.getLocalPort()
                            + " is not reachable (no answer within 8 s); is `rebill up` running?");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void shouldRefuseBootstrapServersWithoutAPortWhenChecking() {
        KafkaOptions options = parse("--bootstrap-servers", "localhost");

        assertThatThrownBy(options::requireKafka).isInstanceOf(UserException.class)
                .hasMessage("--bootstrap-servers 'localhost' must be HOST:PORT, or several separated by commas");
    }

    @Test
    void shouldRefuseARegistryUrlThatIsNotHttpWhenBuildingTheCatalog() {
        KafkaOptions options = parse("--registry-url", "127.0.0.1:8081");

        assertThatThrownBy(options::topics).isInstanceOf(UserException.class)
                .hasMessage("--registry-url '127.0.0.1:8081' must start with http:// or https://");
    }

    @Test
    void shouldSayTheRegistryIsNotReachableWhenNothingListensThere() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        KafkaOptions options = parse("--registry-url", "http://127.0.0.1:" + port + "/apis/ccompat/v7");

        assertThatThrownBy(options::requireRegistry).isInstanceOf(UserException.class)
                .hasMessage("Schema registry at http://127.0.0.1:" + port
                        + "/apis/ccompat/v7 is not reachable; is `rebill up` running?");
    }
}
