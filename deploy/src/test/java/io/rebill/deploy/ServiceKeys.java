package io.rebill.deploy;

import io.rebill.billing.BillingConfig;
import io.rebill.billing.BillingSinkApp;
import io.rebill.billing.push.PlatformPushSettings;
import io.rebill.billing.stripe.StripeSettings;
import io.rebill.metering.MeteringApp;
import io.rebill.metering.MeteringConfig;
import io.rebill.serde.AvroSerdeConfig;
import io.rebill.wallet.WalletApp;
import io.rebill.wallet.WalletConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The config keys each service reads, collected from the code rather than written down: Kafka's
 * own definitions for the clients each service builds, the serde's, and the service's own
 * {@code ConfigDef} or key constants.
 */
final class ServiceKeys {

    /** Prefixes Kafka Streams strips before handing a key to one of its clients. */
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    private ServiceKeys() {
    }

    /** Whether the service whose entry point is {@code main} reads {@code key}. */
    static boolean isRead(Class<?> main, String key) {
        if (keysOf(main).contains(key)) {
            return true;
        }
        if (main == MeteringApp.class || main == WalletApp.class) {
            for (String prefix : STREAMS_CLIENT_PREFIXES) {
                if (key.startsWith(prefix) && clientKeys().contains(key.substring(prefix.length()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The keys of the service whose entry point is {@code main}, without Streams' client prefixes. */
    static Set<String> keysOf(Class<?> main) {
        Set<String> keys = new TreeSet<>(AvroSerdeConfig.definition().names());
        if (main == MeteringApp.class) {
            keys.addAll(StreamsConfig.configDef().names());
            keys.addAll(MeteringConfig.definition().names());
        } else if (main == WalletApp.class) {
            keys.addAll(StreamsConfig.configDef().names());
            keys.addAll(WalletConfig.definition().names());
        } else if (main == BillingSinkApp.class) {
            // billing-sink builds plain consumers and producers from the same config.
            keys.addAll(ConsumerConfig.configNames());
            keys.addAll(ProducerConfig.configNames());
            keys.addAll(constants(BillingConfig.class, "rebill.billing."));
            keys.addAll(constants(StripeSettings.class, "rebill.billing.stripe."));
            keys.addAll(constants(PlatformPushSettings.class, "rebill.billing.push."));
        } else {
            throw new IllegalArgumentException("Not a Rebill service: " + main.getName());
        }
        return keys;
    }

    private static Set<String> clientKeys() {
        Set<String> keys = new TreeSet<>(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    /** The values of the public static String constants of {@code type} that are config keys under {@code prefix}. */
    static Set<String> constants(Class<?> type, String prefix) {
        Set<String> keys = new TreeSet<>();
        for (Field field : type.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    // A prefix constant (e.g. PlatformPushSettings.PREFIX) ends with a dot and is no key.
                    if (value.startsWith(prefix) && !value.endsWith(".")) {
                        keys.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }
}
