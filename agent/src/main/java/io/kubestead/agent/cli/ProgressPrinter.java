package io.kubestead.agent.cli;

import io.kubestead.agent.bundle.BundleProgress;
import java.io.PrintWriter;

/**
 * Shows bytes done of a total: a bar redrawn in place on a terminal (at most once per percent), otherwise a plain
 * line every 10 percent, so logs stay short.
 */
final class ProgressPrinter implements BundleProgress {
    private static final int WIDTH = 30;
    private static final long MIB = 1 << 20;

    private final PrintWriter out;
    private final String label;
    private final boolean terminal;
    private int shown = -1;

    ProgressPrinter(PrintWriter out, String label, boolean terminal) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
    }

    @Override
    public void update(long done, long total) {
        int percent = total <= 0 ? 100 : (int) (done * 100 / total);
        int step = terminal ? percent : percent / 10 * 10;
        if (step == shown) {
            return;
        }
        shown = step;
        String amounts = String.format("%3d%% %d/%d MiB", percent, done / MIB, total / MIB);
        if (terminal) {
            int filled = percent * WIDTH / 100;
            out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + amounts);
            if (percent == 100) {
                out.println();
            }
        } else {
            out.println(label + " " + amounts);
        }
        out.flush();
    }
}
