package io.rebill.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.serde.AvroSerdeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceConfigTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "REBILL_CONFIG_BOOTSTRAP_SERVERS, bootstrap.servers",
            "REBILL_CONFIG_SCHEMA_REGISTRY_URL, schema.registry.url",
            "REBILL_CONFIG_APPLICATION_SERVER, application.server",
            "REBILL_CONFIG_REBILL_WALLET_HTTP_PORT, rebill.wallet.http.port",
            "REBILL_CONFIG_REBILL_BILLING_STRIPE_API__KEY, rebill.billing.stripe.api-key",
            "REBILL_CONFIG_REBILL_BILLING_UNDETERMINED__GIVE__UP_MS, rebill.billing.undetermined-give-up.ms",
            "REBILL_CONFIG_SASL_JAAS_CONFIG, sasl.jaas.config",
            "REBILL_CONFIG_RACK_AWARE_ASSIGNMENT_TRAFFIC___COST, rack.aware.assignment.traffic_cost",
            "REBILL_CONFIG_A__B___C_D, a-b_c.d",
    })
    void shouldMapVariableToKeyAndBackWhenGivenTheDocumentedExamples(String variable, String key) {
        assertThat(ServiceConfig.keyOf(variable)).contains(key);
        assertThat(ServiceConfig.environmentVariable(key)).isEqualTo(variable);
    }

    @Test
    void shouldGiveEveryKafkaAndSerdeKeyOneVariableThatMapsBackToIt() {
        Set<String> keys = new TreeSet<>();
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        keys.addAll(StreamsConfig.configDef().names());
        keys.addAll(AvroSerdeConfig.definition().names());
        assertThat(keys).hasSizeGreaterThan(150);

        Set<String> variables = new TreeSet<>();
        for (String key : keys) {
            String variable = ServiceConfig.environmentVariable(key);
            assertThat(ServiceConfig.keyOf(variable)).as(variable).contains(key);
            variables.add(variable);
        }
        // One-to-one: no two keys share a variable.
        assertThat(variables).hasSameSizeAs(keys);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "HOSTNAME", "REBILL_JAVA_OPTS", "REBILL_CONFIGURATION", "rebill_config_bootstrap_servers"})
    void shouldIgnoreVariableWhenItLacksThePrefix(String variable) {
        assertThat(ServiceConfig.keyOf(variable)).isEmpty();
        assertThat(ServiceConfig.fromEnvironment(Map.of(variable, "x"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"REBILL_CONFIG_", "REBILL_CONFIG__BOOTSTRAP_SERVERS", "REBILL_CONFIG_BOOTSTRAP_SERVERS_",
            "REBILL_CONFIG_BOOTSTRAP____SERVERS", "REBILL_CONFIG_bootstrap_servers", "REBILL_CONFIG_BOOTSTRAP-SERVERS"})
    void shouldRefuseVariableWhenItHasThePrefixButNamesNoKey(String variable) {
        assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of(variable, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(variable)
                .hasMessageContaining("REBILL_CONFIG_BOOTSTRAP_SERVERS for bootstrap.servers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bootstrap.servers", "a..b", "a.-b", "a-_b", ".a", "a-", "a b", "a/b", ""})
    void shouldRefuseKeyWhenNoVariableCouldNameItUnambiguously(String key) {
        assertThatThrownBy(() -> ServiceConfig.environmentVariable(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("properties file");
    }

    @Test
    void shouldKeepValuesAsGivenWhenReadingTheEnvironment() {
        Map<String, String> settings = ServiceConfig.fromEnvironment(Map.of(
                "REBILL_CONFIG_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
                "REBILL_CONFIG_REBILL_BILLING_PUSH_URL", "",
                "PATH", "/usr/bin"));

        assertThat(settings).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
                "rebill.billing.push.url", ""));
    }

    @Test
    void shouldPreferEnvironmentThenFileThenDefaultsWhenAllThreeSetKeys() throws IOException {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, """
                bootstrap.servers=from-file:9092
                schema.registry.url=http://from-file:8081
                num.stream.threads=3
                """);
        Map<String, String> env = Map.of(
                "REBILL_CONFIG_BOOTSTRAP_SERVERS", "from-env:9092",
                "REBILL_CONFIG_REBILL_WALLET_TRIAL_DAYS", "30");

        Properties config = ServiceConfig.withDefaults(
                ServiceConfig.overrides(new String[] {file.toString()}, env), "rebill-test");

        assertThat(config)
                .containsEntry("bootstrap.servers", "from-env:9092")         // environment over file
                .containsEntry("schema.registry.url", "http://from-file:8081") // file over default
                .containsEntry("num.stream.threads", "3")                      // file only
                .containsEntry("rebill.wallet.trial.days", "30")               // environment only
                .containsEntry("application.id", "rebill-test")                // default only
                .hasSize(5);
    }

    @Test
    void shouldUseEnvironmentAndDefaultsWhenNoFileIsGiven() throws IOException {
        Properties config = ServiceConfig.withDefaults(ServiceConfig.overrides(new String[0],
                Map.of("REBILL_CONFIG_SCHEMA_REGISTRY_URL", "http://schema-registry:8081")), "rebill-test");

        assertThat(config)
                .containsEntry("schema.registry.url", "http://schema-registry:8081")
                .containsEntry("bootstrap.servers", ServiceConfig.DEFAULT_BOOTSTRAP_SERVERS)
                .containsEntry("application.id", "rebill-test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "", " "})
    void shouldAdvertiseTheHostNameWhenListeningOnAWildcardAddress(String listenHost) {
        assertThat(ServiceConfig.advertisedHost(listenHost, Map.of("HOSTNAME", "3f2a9c81d0e4")))
                .isEqualTo("3f2a9c81d0e4");
    }

    @Test
    void shouldAdvertiseDifferentHostsForReplicasWhenEachHasItsOwnHostName() {
        assertThat(ServiceConfig.advertisedHost("0.0.0.0", Map.of("HOSTNAME", "docker-wallet-stream-1")))
                .isNotEqualTo(ServiceConfig.advertisedHost("0.0.0.0", Map.of("HOSTNAME", "docker-wallet-stream-2")));
    }

    @Test
    void shouldAdvertiseTheListenHostWhenItIsASpecificAddress() {
        assertThat(ServiceConfig.advertisedHost("127.0.0.1", Map.of("HOSTNAME", "ignored"))).isEqualTo("127.0.0.1");
        assertThat(ServiceConfig.advertisedHost("wallet-1.internal", Map.of())).isEqualTo("wallet-1.internal");
    }

    @Test
    void shouldFallBackToTheOperatingSystemsHostNameWhenHostnameIsUnset() {
        assertThat(ServiceConfig.hostName(Map.of())).isNotBlank();
        assertThat(ServiceConfig.hostName(Map.of("HOSTNAME", " "))).isNotBlank().isNotEqualTo(" ");
    }
}
