package io.kubestead.installer.airgap;

import io.kubestead.agent.progress.ConsoleMeter;
import io.kubestead.agent.progress.Meter;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Progress of downloads and image fetches on a console, drawn by the agent's {@link ConsoleMeter}: a bar redrawn
 * in place on a terminal, otherwise {@code [INFO]} lines at the start, every 25 % and at the end (logs of a CI job
 * stay short).
 */
public final class ConsoleProgress implements ProgressListener {
    private final PrintWriter out;
    private final boolean terminal;
    private Meter meter = Meter.NONE;
    private long total;
    private long done;

    public ConsoleProgress(PrintStream out, boolean terminal) {
        this(new PrintWriter(out, true), terminal);
    }

    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** For stdout: a bar when a terminal is attached. */
    public static ConsoleProgress forStdout() {
        return new ConsoleProgress(System.out, System.console() != null);
    }

    @Override
    public void start(String what, long total) {
        this.total = total;
        this.done = 0;
        meter = meter(what);
        meter.update(0, total);
    }

    /** A meter of bytes for another long step (packing the bundle), drawn the same way. */
    public Meter meter(String what) {
        return terminal ? ConsoleMeter.bar(out, String.format("%-40s", what), Meter.Unit.BYTES)
                : ConsoleMeter.lines(line -> {
                    out.println(line);
                    out.flush();
                }, "[INFO] " + what + ":", Meter.Unit.BYTES, 25);
    }

    @Override
    public void advance(long bytes) {
        done += bytes;
        meter.update(done, total);
    }

    @Override
    public void done() {
        if (total < 0) {
            // the size was unknown: the end is when the total is known
            meter.update(done, done);
        }
        meter.finish();
        meter = Meter.NONE;
    }
}
