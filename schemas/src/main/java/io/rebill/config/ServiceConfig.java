package io.rebill.config;

import io.rebill.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How every Rebill service reads its configuration: Kafka's own keys plus
 * {@code schema.registry.url} and the service's {@code rebill.*} keys, from three places, the first
 * that sets a key wins:
 * <ol>
 *   <li>environment variables {@code REBILL_CONFIG_...} (see {@link #environmentVariable});</li>
 *   <li>the optional properties file named by the service's first argument;</li>
 *   <li>defaults that point at the local stack ({@link #withDefaults}) and the service's own.</li>
 * </ol>
 *
 * <p>The environment variable of a key is {@value #ENV_PREFIX} followed by the key upper-cased,
 * with every {@code .} written {@code _}, every {@code -} written {@code __} and every {@code _}
 * written {@code ___}: {@code bootstrap.servers} is {@code REBILL_CONFIG_BOOTSTRAP_SERVERS},
 * {@code rebill.billing.stripe.api-key} is {@code REBILL_CONFIG_REBILL_BILLING_STRIPE_API__KEY} and
 * {@code rack.aware.assignment.traffic_cost} is
 * {@code REBILL_CONFIG_RACK_AWARE_ASSIGNMENT_TRAFFIC___COST}. Every key Kafka and Rebill define is
 * lower-case letters and digits in words separated by single dots, dashes or underscores, so the rule
 * works both ways: each such key has exactly one variable and each variable names exactly one key. A
 * {@code REBILL_CONFIG_} variable of any other shape (lower-case letters, four underscores in a row,
 * a leading or trailing underscore) is refused at start-up.
 */
public final class ServiceConfig {

    /** The local stack's broker ({@code rebill up}). */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    /** The local stack's registry: Apicurio's Confluent-compatible API. */
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";
    /** Kafka's {@code application.id} for Streams and {@code group.id} for plain consumers. */
    public static final String APPLICATION_ID = "application.id";

    /** Every environment variable that sets a config key starts with this. */
    public static final String ENV_PREFIX = "REBILL_CONFIG_";
    /**
     * The variable container runtimes (Docker, Kubernetes) set to the container's host name, which
     * other containers of the same network resolve.
     */
    public static final String HOSTNAME_ENV = "HOSTNAME";

    private static final Pattern KEY = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*");
    private static final Pattern VARIABLE_SUFFIX = Pattern.compile("[A-Z0-9]+(_{1,3}[A-Z0-9]+)*");
    private static final Pattern UNDERSCORES = Pattern.compile("_+");
    /** A key's separators by the number of underscores that write them. */
    private static final String[] SEPARATORS = {null, ".", "-", "_"};
    private static final Set<String> WILDCARD_HOSTS = Set.of("", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

    private ServiceConfig() {
    }

    /** The overrides, then the application id and the local stack's addresses where they are unset. */
    public static Properties withDefaults(Properties overrides, String applicationId) {
        Properties config = new Properties();
        config.putAll(overrides);
        config.putIfAbsent(APPLICATION_ID, applicationId);
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        config.putIfAbsent(AvroSerdeConfig.SCHEMA_REGISTRY_URL, DEFAULT_SCHEMA_REGISTRY_URL);
        return config;
    }

    /** Reads a UTF-8 {@code .properties} file. */
    public static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /**
     * What a service's {@code main} runs with before defaults: the properties file named by
     * {@code args[0]} when there is one, with every {@code REBILL_CONFIG_} variable of {@code env}
     * set over it.
     *
     * @param env the process environment ({@code System.getenv()}), or a map in tests
     * @throws IllegalArgumentException naming the variable, when a {@code REBILL_CONFIG_} variable is
     *                                  not of the documented shape
     */
    public static Properties overrides(String[] args, Map<String, String> env) throws IOException {
        Properties overrides = args.length > 0 ? load(Path.of(args[0])) : new Properties();
        overrides.putAll(fromEnvironment(env));
        return overrides;
    }

    /**
     * The config keys the {@code REBILL_CONFIG_} variables of {@code env} set, with their values as
     * given (an empty value is an empty value); every other variable is ignored.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> settings = new TreeMap<>();
        // The rule is one-to-one, so two variables never set the same key.
        env.forEach((variable, value) -> keyOf(variable).ifPresent(key -> settings.put(key, value)));
        return settings;
    }

    /**
     * The config key an environment variable sets: empty when it does not start with
     * {@value #ENV_PREFIX}; otherwise the rest lower-cased, with {@code _} read as {@code .},
     * {@code __} as {@code -} and {@code ___} as {@code _}.
     *
     * @throws IllegalArgumentException when the variable starts with the prefix but no key has it
     *                                  as its variable (see {@link #environmentVariable})
     */
    public static Optional<String> keyOf(String variable) {
        if (!variable.startsWith(ENV_PREFIX)) {
            return Optional.empty();
        }
        String suffix = variable.substring(ENV_PREFIX.length());
        if (!VARIABLE_SUFFIX.matcher(suffix).matches()) {
            throw new IllegalArgumentException("Environment variable " + variable + " names no config key: after "
                    + ENV_PREFIX + " it must be upper-case words of letters and digits joined by _ (for '.'), "
                    + "__ (for '-') or ___ (for '_'), e.g. REBILL_CONFIG_BOOTSTRAP_SERVERS for bootstrap.servers");
        }
        return Optional.of(UNDERSCORES.matcher(suffix.toLowerCase(Locale.ROOT))
                .replaceAll(run -> SEPARATORS[run.group().length()]));
    }

    /**
     * The environment variable that sets {@code key}: {@value #ENV_PREFIX}, then the key upper-cased
     * with {@code .} written {@code _}, {@code -} written {@code __} and {@code _} written {@code ___}.
     *
     * @throws IllegalArgumentException for a key that is not lower-case words of letters and digits
     *                                  separated by single dots, dashes or underscores; such a key can
     *                                  only be set in the properties file
     */
    public static String environmentVariable(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Config key '" + key + "' has no environment variable: only keys of "
                    + "lower-case letters and digits separated by single '.', '-' or '_' do; set it in the "
                    + "properties file");
        }
        StringBuilder variable = new StringBuilder(ENV_PREFIX);
        for (char c : key.toCharArray()) {
            switch (c) {
                case '.' -> variable.append('_');
                case '-' -> variable.append("__");
                case '_' -> variable.append("___");
                default -> variable.append(Character.toUpperCase(c));
            }
        }
        return variable.toString();
    }

    /**
     * The host other machines reach this one by, for a service listening on {@code listenHost}: that
     * host itself, unless it is a wildcard address (0.0.0.0, ::) or empty, which nobody can connect
     * to; then this machine's host name ({@link #hostName}). In a container that is the container's
     * own host name, so every replica of a scaled-out service advertises a different address.
     */
    public static String advertisedHost(String listenHost, Map<String, String> env) {
        String host = listenHost == null ? "" : listenHost.trim();
        return WILDCARD_HOSTS.contains(host) ? hostName(env) : host;
    }

    /**
     * This machine's host name: {@code $HOSTNAME} when set (Docker and Kubernetes set it to the
     * container's or pod's name), otherwise what the operating system answers, otherwise
     * {@code localhost}.
     */
    public static String hostName(Map<String, String> env) {
        String fromEnv = env.get(HOSTNAME_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The config as the map serdes and clients take; non-string values (e.g. booleans) are kept. */
    public static Map<String, Object> asMap(Properties config) {
        Map<String, Object> map = new HashMap<>();
        config.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }
}
