package io.rebill.cli.stack;

import io.rebill.serde.RestSchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Confluent-compatible schema registry for the local stack: Apicurio Registry's runnable
 * build (from Maven Central, unpacked by the cli build) in a child JVM on 127.0.0.1, serving the
 * Confluent API under {@code /apis/ccompat/v7}. Its H2 database lives in the data folder, so
 * schema ids stay valid for the records already in Kafka across restarts. Default compatibility
 * is BACKWARD, as the schemas module's own test demands.
 */
public final class ApicurioRegistry implements AutoCloseable {

    public static final String HOME_PROPERTY = "rebill.registry.home";
    public static final String HOME_ENV = "REBILL_REGISTRY_HOME";
    static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);

    private final Path home;
    private final Path dataDir;
    private final int port;
    private Process process;

    public ApicurioRegistry(Path home, Path dataDir, int port) {
        this.home = home;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The Confluent-compatible API's base URL, what serdes take as {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    public synchronized void start() throws IOException {
        Path runner = runnerJar(home);
        Files.createDirectories(dataDir);
        Path logFile = dataDir.resolve("registry.log");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry"),
                "-Dquarkus.log.level=WARN",
                "-jar", runner.toString()));
        process = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        awaitReady(Duration.ofSeconds(90), logFile);
        new RestSchemaRegistryClient(url()).setDefaultCompatibility("BACKWARD");
        log.info("Schema registry (Apicurio) at {}", url());
    }

    private void awaitReady(Duration timeout, Path logFile) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Schema registry exited with code " + process.exitValue()
                        + " during start-up; see " + logFile);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
        }
        close();
        throw new IllegalStateException("Schema registry did not answer on " + url() + " within " + timeout
                + "; see " + logFile);
    }

    /** Where the unpacked Apicurio build is: the system property, the environment, or beside the CLI jar. */
    public static Path locateHome() {
        String configured = Optional.ofNullable(System.getProperty(HOME_PROPERTY)).orElse(System.getenv(HOME_ENV));
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            Path codeSource = Path.of(ApicurioRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/rebill.jar or cli/target/classes: the build unpacks the registry into cli/target.
            return codeSource.getParent().resolve("apicurio-registry");
        } catch (Exception e) {
            throw new IllegalStateException("Cannot locate Apicurio Registry; set -D" + HOME_PROPERTY
                    + " or " + HOME_ENV, e);
        }
    }

    static Path runnerJar(Path home) throws IOException {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + home
                    + "; build the cli module (./mvnw -pl cli -am package) or set -D" + HOME_PROPERTY);
        }
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No *-runner.jar in " + home));
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
        log.info("Schema registry stopped");
    }
}
