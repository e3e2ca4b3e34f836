package io.rebill.cli.ops;

import picocli.CommandLine.Command;

/** {@code rebill tail TOPIC}: being written (issue 6). */
@Command(name = "tail", mixinStandardHelpOptions = true, description = "Print a topic's records as JSON lines.")
public final class TailCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalStateException("rebill tail is not written yet");
    }
}
