package io.rebill.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Compose file as the deployment checks read it: services, their images or builds,
 * commands, environment, ports and dependencies, in both the short and the long syntax Compose
 * accepts for each. Values are left as written, except through {@link #interpolate}.
 */
final class ComposeFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");

    private final Path file;
    private final JsonNode root;

    private ComposeFile(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** The repository root: the build passes it; run from the module folder otherwise. */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("rebill.repo.root", "..")).toAbsolutePath().normalize();
    }

    static ComposeFile load(Path file) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a YAML mapping");
        }
        return new ComposeFile(file, root);
    }

    Path file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    Set<String> serviceNames() {
        Set<String> names = new LinkedHashSet<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    Service service(String name) {
        JsonNode node = root.path("services").path(name);
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + " has no service " + name);
        }
        return new Service(name, node, file.getParent());
    }

    List<Service> services() {
        return serviceNames().stream().map(this::service).toList();
    }

    /**
     * Compose's interpolation of {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}
     * and {@code $$}, with {@code hostEnv} as the environment {@code docker compose} runs in.
     */
    static String interpolate(String value, Map<String, String> hostEnv) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else {
                String set = hostEnv.get(matcher.group(1));
                String operator = matcher.group(2);
                boolean useDefault = operator != null
                        && (set == null || (operator.equals(":-") && set.isEmpty()));
                replacement = useDefault ? matcher.group(3) : (set == null ? "" : set);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** A port a service publishes: host IP and port (or range) as written, and the container's port. */
    record Port(String hostIp, String published, int target) {

        static Port parse(JsonNode node) {
            if (node.isObject()) {
                return new Port(node.path("host_ip").asText(""), node.path("published").asText(""),
                        node.path("target").asInt());
            }
            String text = node.asText();
            int slash = text.indexOf('/');
            String spec = slash < 0 ? text : text.substring(0, slash);
            // An IPv6 host address is in brackets; split at the colons outside them.
            List<String> parts = new ArrayList<>();
            int start = 0;
            boolean inBrackets = false;
            for (int i = 0; i < spec.length(); i++) {
                char c = spec.charAt(i);
                if (c == '[') {
                    inBrackets = true;
                } else if (c == ']') {
                    inBrackets = false;
                } else if (c == ':' && !inBrackets) {
                    parts.add(spec.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(spec.substring(start));
            return switch (parts.size()) {
                case 1 -> new Port("", "", Integer.parseInt(parts.get(0)));
                case 2 -> new Port("", parts.get(0), Integer.parseInt(parts.get(1)));
                case 3 -> new Port(parts.get(0), parts.get(1), Integer.parseInt(parts.get(2)));
                default -> throw new IllegalArgumentException("Not a port mapping: " + text);
            };
        }

        /** Whether Docker picks the host port from a range (or at random), as scaled replicas need. */
        boolean publishedAsRangeOrAny() {
            return published.isEmpty() || published.contains("-");
        }
    }

    /** One service of the file. */
    record Service(String name, JsonNode node, Path composeDirectory) {

        Optional<String> image() {
            return text(node.path("image"));
        }

        boolean isBuilt() {
            return !node.path("build").isMissingNode();
        }

        /** The build context, resolved against the compose file's folder as Compose does. */
        Optional<Path> buildContext() {
            JsonNode build = node.path("build");
            if (build.isMissingNode()) {
                return Optional.empty();
            }
            String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
            return Optional.of(composeDirectory.resolve(context).normalize());
        }

        /** The Dockerfile, resolved against the build context; {@code Dockerfile} when not named. */
        Optional<Path> dockerfile() {
            return buildContext().map(context -> context.resolve(node.path("build").path("dockerfile")
                    .asText("Dockerfile")).normalize());
        }

        /** The command as the container runs it; a string is split at white space, as Compose does without a shell. */
        List<String> command() {
            return words(node.path("command"));
        }

        List<String> entrypoint() {
            return words(node.path("entrypoint"));
        }

        /** Variables set in {@code environment}, in the mapping or the list syntax; a variable without a value is "". */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            JsonNode environment = node.path("environment");
            if (environment.isObject()) {
                environment.fields().forEachRemaining(e -> env.put(e.getKey(),
                        e.getValue().isNull() ? "" : e.getValue().asText()));
            } else if (environment.isArray()) {
                environment.forEach(entry -> {
                    String text = entry.asText();
                    int equals = text.indexOf('=');
                    env.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
                });
            }
            return env;
        }

        /** {@link #environment} as the container sees it, for a Docker host where {@code hostEnv} is set. */
        Map<String, String> environment(Map<String, String> hostEnv) {
            Map<String, String> env = new LinkedHashMap<>();
            environment().forEach((name, value) -> env.put(name, interpolate(value, hostEnv)));
            return env;
        }

        List<Port> ports() {
            List<Port> ports = new ArrayList<>();
            node.path("ports").forEach(port -> ports.add(Port.parse(port)));
            return ports;
        }

        /** The services this one waits for, with the condition; the list syntax means {@code service_started}. */
        Map<String, String> dependsOn() {
            Map<String, String> dependencies = new LinkedHashMap<>();
            JsonNode dependsOn = node.path("depends_on");
            if (dependsOn.isArray()) {
                dependsOn.forEach(name -> dependencies.put(name.asText(), "service_started"));
            } else if (dependsOn.isObject()) {
                dependsOn.fields().forEachRemaining(e -> dependencies.put(e.getKey(),
                        e.getValue().path("condition").asText("service_started")));
            }
            return dependencies;
        }

        int replicas() {
            JsonNode replicas = node.path("deploy").path("replicas");
            return replicas.isMissingNode() ? 1 : replicas.asInt();
        }

        boolean hasHealthcheck() {
            JsonNode healthcheck = node.path("healthcheck");
            return healthcheck.isObject() && !healthcheck.path("disable").asBoolean(false)
                    && !healthcheck.path("test").isMissingNode();
        }

        private static List<String> words(JsonNode node) {
            if (node.isArray()) {
                List<String> words = new ArrayList<>();
                node.forEach(word -> words.add(word.asText()));
                return words;
            }
            if (node.isTextual()) {
                return Arrays.stream(node.asText().trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
            }
            return List.of();
        }

        private static Optional<String> text(JsonNode node) {
            return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
        }
    }
}
