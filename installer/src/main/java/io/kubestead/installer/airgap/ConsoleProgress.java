package io.kubestead.installer.airgap;

import java.io.PrintStream;

/**
 * Progress on a console: a redrawn bar on a terminal, otherwise one line at start, every ~25 % and at the end
 * (logs of a CI job stay short).
 */
public final class ConsoleProgress implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private String what = "";
    private long total;
    private long done;
    private int lastShown = -1;

    public ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** For stdout: a bar when a terminal is attached. */
    public static ConsoleProgress forStdout() {
        return new ConsoleProgress(System.out, System.console() != null);
    }

    @Override
    public void start(String what, long total) {
        this.what = what;
        this.total = total;
        this.done = 0;
        this.lastShown = -1;
        if (!terminal) {
            out.printf("[INFO] %s: %s%n", what, total >= 0 ? human(total) : "size unknown");
        }
    }

    @Override
    public void advance(long bytes) {
        done += bytes;
        int pct = total > 0 ? (int) Math.min(100, done * 100 / total) : -1;
        if (terminal) {
            if (pct != lastShown || total <= 0) {
                lastShown = pct;
                out.print("\r" + line(pct));
                out.flush();
            }
        } else if (pct >= 0 && pct / 25 > lastShown / 25 && pct < 100) {
            lastShown = pct;
            out.printf("[INFO] %s: %d%% (%s)%n", what, pct, human(done));
        }
    }

    @Override
    public void done() {
        if (terminal) {
            out.print("\r" + line(100) + "\n");
        } else {
            out.printf("[INFO] %s: done (%s)%n", what, human(done));
        }
        out.flush();
    }

    private String line(int pct) {
        if (pct < 0) {
            return String.format("%-40s %s", what, human(done));
        }
        int filled = pct * WIDTH / 100;
        return String.format("%-40s [%s%s] %3d%% %s", what, "#".repeat(filled), ".".repeat(WIDTH - filled), pct, human(done));
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
