package io.rebill.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    private final ServiceMetrics metrics = ServiceMetrics.create("test-service", "host-1");

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void shouldTagEveryMeterWithServiceAndInstance() {
        Counter.builder("rebill.test.things").register(metrics.registry()).increment(3);

        String scrape = metrics.scrape();

        assertThat(PrometheusText.value(scrape, "rebill_test_things_total",
                Map.of("service", "test-service", "instance", "host-1"))).hasValue(3.0);
        assertThat(PrometheusText.samples(scrape)).isNotEmpty().allSatisfy(sample -> assertThat(sample.labels())
                .containsEntry("service", "test-service").containsEntry("instance", "host-1"));
    }

    @Test
    void shouldBindJvmAndProcessMeters() {
        String scrape = metrics.scrape();

        assertThat(PrometheusText.samples(scrape, "jvm_memory_used_bytes", Map.of("area", "heap"))).isNotEmpty();
        assertThat(PrometheusText.samples(scrape, "jvm_threads_live_threads", Map.of())).isNotEmpty();
        assertThat(PrometheusText.samples(scrape, "system_cpu_count", Map.of())).isNotEmpty();
        assertThat(PrometheusText.value(scrape, "process_uptime_seconds")).isPresent();
        assertThat(scrape).contains("jvm_gc_");
    }

    @Test
    void shouldExposeAConsumersLagOnceItsClientIsBound() {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ConsumerConfig.GROUP_ID_CONFIG, "metrics-test", ConsumerConfig.CLIENT_ID_CONFIG, "metrics-test-consumer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            metrics.bindKafkaClient(consumer);

            assertThat(PrometheusText.samples(metrics.scrape(), "kafka_consumer_fetch_manager_records_lag_max",
                    Map.of("client_id", "metrics-test-consumer"))).isNotEmpty();
        }
    }
}
