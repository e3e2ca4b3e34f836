package io.rebill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code rebill ...} line in the README's code blocks is a command line the CLI accepts, with
 * options that exist: a renamed option or command breaks this test before it breaks a newcomer.
 * What the commands do is asserted by their own tests and the integration tests.
 */
class ReadmeCommandsTest {

    @Test
    void shouldAcceptEveryRebillCommandTheReadmeShows() throws IOException {
        List<List<String>> commands = readmeCommands(Path.of("..", "README.md"));

        assertThat(commands).as("rebill lines in the README").hasSizeGreaterThan(15);
        for (List<String> args : commands) {
            assertThatCode(() -> RebillCli.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as("rebill " + String.join(" ", args)).doesNotThrowAnyException();
        }
    }

    /** The arguments of each {@code ./rebill} or {@code rebill} line in fenced code, continuations joined. */
    static List<List<String>> readmeCommands(Path readme) throws IOException {
        List<List<String>> commands = new ArrayList<>();
        boolean inCode = false;
        StringBuilder pending = null;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            String text = line.strip();
            if (pending != null) {
                pending.append(' ').append(text);
            } else if (text.startsWith("./rebill ") || text.startsWith("rebill ")) {
                pending = new StringBuilder(text);
            } else {
                continue;
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            commands.add(arguments(pending.toString()));
            pending = null;
        }
        return commands;
    }

    /** Shell words after the program name, up to a comment or a pipe; quotes stripped. */
    private static List<String> arguments(String line) {
        String command = line.replaceFirst("\\s+#.*$", "");
        int pipe = command.indexOf(" | ");
        if (pipe >= 0) {
            command = command.substring(0, pipe);
        }
        List<String> words = new ArrayList<>();
        for (String word : command.trim().split("\\s+")) {
            words.add(word.replaceAll("^'(.*)'$", "$1"));
        }
        return words.subList(1, words.size());
    }
}
