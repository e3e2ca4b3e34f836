package io.rebill.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParser;
import org.junit.jupiter.api.Test;

/**
 * Every schema must stay BACKWARD compatible with each released version of it: consumers on the
 * new schema must read everything already written. A release copies {@code src/main/avro} to
 * {@code src/test/resources/released/<version>}.
 */
class SchemaEvolutionTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("src/test/resources/released");

    @Test
    void shouldKeepEverySchemaBackwardCompatibleWithEachReleasedVersion() throws IOException {
        Map<String, Schema> current = parseTree(CURRENT);
        List<Path> releases;
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            releases = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(releases).as("released schema versions under " + RELEASED).isNotEmpty();

        List<String> problems = new ArrayList<>();
        for (Path release : releases) {
            parseTree(release).forEach((name, released) -> {
                Schema now = current.get(name);
                if (now == null) {
                    problems.add(release.getFileName() + ": " + name + " was released and has been removed");
                    return;
                }
                var result = SchemaCompatibility.checkReaderWriterCompatibility(now, released).getResult();
                if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    problems.add(release.getFileName() + ": " + name + " cannot read data written with the released"
                            + " schema: " + result.getIncompatibilities());
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldHaveOneNamedTypePerFileInFoldersMirroringNamespaces() throws IOException {
        Map<String, Schema> current = parseTree(CURRENT);

        assertThat(current).containsKeys("io.rebill.schemas.usage.CallDetailRecord",
                "io.rebill.schemas.usage.MessageEvent", "io.rebill.schemas.rating.RateCardEntry",
                "io.rebill.schemas.rating.RebillingSettings", "io.rebill.schemas.rating.RatedCharge",
                "io.rebill.schemas.wallet.WalletCommand", "io.rebill.schemas.wallet.LedgerEntry",
                "io.rebill.schemas.wallet.WalletBalance", "io.rebill.schemas.wallet.AccessStatus",
                "io.rebill.schemas.billing.RefillRequest", "io.rebill.schemas.ops.DeadLetter");
    }

    /** Parses every .avsc under a folder, checking each file's path matches the type it defines. */
    private static Map<String, Schema> parseTree(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        SchemaParser parser = new SchemaParser();
        Map<Path, SchemaParser.ParseResult> parsed = new TreeMap<>();
        for (Path file : files) {
            parsed.put(file, parser.parse(file));
        }
        Map<String, Schema> byName = new TreeMap<>();
        parsed.forEach((file, result) -> {
            Schema schema = parser.resolve(result);
            String expectedPath = schema.getFullName().replace('.', '/') + ".avsc";
            assertThat(root.relativize(file).toString()).as("file defining " + schema.getFullName())
                    .isEqualTo(expectedPath);
            byName.put(schema.getFullName(), schema);
        });
        return byName;
    }
}
