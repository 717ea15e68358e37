package io.kubestead.agent.plan;

import io.kubestead.agent.progress.ConsoleMeter;
import io.kubestead.agent.progress.Meter;
import java.io.PrintWriter;

/**
 * Progress as plain {@code [phase-id] message} lines, which read well in a pipe or CI log; on a terminal a bar of
 * finished phases leads each phase line.
 */
public final class ConsoleProgress implements Progress {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private String current = "";

    public ConsoleProgress(PrintWriter out, PrintWriter err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void phaseStarted(int index, int total, Phase phase) {
        current = phase.id();
        out.println(prefix(index, total) + "[" + phase.id() + "] " + phase.title());
        out.flush();
    }

    @Override
    public void phaseSkipped(int index, int total, Phase phase, String why) {
        out.println(prefix(index, total) + "[" + phase.id() + "] " + phase.title() + ": skipped, " + why);
        out.flush();
    }

    @Override
    public void phaseFinished(int index, int total, Phase phase) {
        current = "";
    }

    @Override
    public void info(String message) {
        out.println((current.isEmpty() ? "" : "[" + current + "] ") + message);
        out.flush();
    }

    @Override
    public void warn(String message) {
        err.println("WARNING: " + message);
        err.flush();
    }

    @Override
    public Meter meter(String label, Meter.Unit unit) {
        return terminal ? ConsoleMeter.bar(out, (current.isEmpty() ? "" : "[" + current + "] ") + label, unit)
                : ConsoleMeter.lines(this::info, label, unit, 10);
    }

    private String prefix(int index, int total) {
        if (!terminal) {
            return String.format("(%d/%d) ", index, total);
        }
        int width = 20;
        int filled = total == 0 ? width : (index - 1) * width / total;
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + String.format("%2d/%d ", index, total);
    }
}
