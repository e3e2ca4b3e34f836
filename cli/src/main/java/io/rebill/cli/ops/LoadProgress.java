package io.rebill.cli.ops;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress of a load run on stderr: a bar redrawn in place for a person at a terminal, a
 * plain line now and then for a log, or nothing.
 */
final class LoadProgress {

    enum Mode { BAR, LINES, NONE }

    static final long BAR_INTERVAL_NANOS = 200_000_000L;
    static final long LINE_INTERVAL_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final Mode mode;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long startNanos;
    private long lastShownNanos;
    private int lastBarLength;

    LoadProgress(Mode mode, PrintWriter err, String label, long total, long startNanos) {
        this.mode = mode;
        this.err = err;
        this.label = label;
        this.total = total;
        this.startNanos = startNanos;
        this.lastShownNanos = startNanos;
    }

    /** Shows the counts if it is time to; cheap to call after every record. */
    void update(long nowNanos, long sent, long acknowledged, long errors) {
        if (mode == Mode.NONE) {
            return;
        }
        long interval = mode == Mode.BAR ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS;
        if (nowNanos - lastShownNanos < interval) {
            return;
        }
        lastShownNanos = nowNanos;
        show(nowNanos, sent, acknowledged, errors);
    }

    /** The last state; ends the bar's line so what follows starts on its own. */
    void finish(long nowNanos, long sent, long acknowledged, long errors) {
        if (mode == Mode.BAR) {
            show(nowNanos, sent, acknowledged, errors);
            err.println();
            err.flush();
        }
    }

    private void show(long nowNanos, long sent, long acknowledged, long errors) {
        double seconds = (nowNanos - startNanos) / 1e9;
        double rate = seconds > 0 ? sent / seconds : 0;
        int percent = (int) (100 * sent / total);
        if (mode == Mode.BAR) {
            int filled = (int) (BAR_WIDTH * sent / total);
            String eta = rate > 0 && sent < total ? "  ETA " + duration((total - sent) / rate) : "";
            String bar = String.format(Locale.ROOT, "\r[%s%s] %3d%%  %,d/%,d sent  %,d acknowledged  %,d errors  %,.1f/s%s",
                    "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), percent, sent, total, acknowledged, errors,
                    rate, eta);
            // Blank out what a longer previous bar left behind.
            int visible = bar.length() - 1;
            err.print(bar + " ".repeat(Math.max(0, lastBarLength - visible)));
            lastBarLength = visible;
        } else {
            err.println(String.format(Locale.ROOT, "%s: %,d/%,d sent (%d%%), %,d acknowledged, %,d errors, %,.1f/s",
                    label, sent, total, percent, acknowledged, errors, rate));
        }
        err.flush();
    }

    private static String duration(double seconds) {
        long s = (long) Math.ceil(seconds);
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
}
