package io.kubestead.agent.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a {@link Command}. A command stopped at its timeout has {@code timedOut} set (and
 * {@link #TIMED_OUT} as its exit code), so it is never mistaken for a program's own exit 124.
 */
public record ExecResult(Command command, int exitCode, String stdout, String stderr, boolean timedOut) {
    /** How many lines of output a failure report shows. */
    public static final int TAIL_LINES = 20;
    /** The exit code of a command stopped at its timeout: no program can exit with it. */
    public static final int TIMED_OUT = -1;

    /** A command that ran to its end. */
    public ExecResult(Command command, int exitCode, String stdout, String stderr) {
        this(command, exitCode, stdout, stderr, false);
    }

    /** A command stopped at its timeout, with the output it had printed until then. */
    public static ExecResult timedOut(Command command, String stdout, String stderr) {
        return new ExecResult(command, TIMED_OUT, stdout, stderr, true);
    }

    /**
     * The end of the output, for a failure report: the last lines of stdout, then the last of stderr (at least half
     * of the {@value #TAIL_LINES} lines when it has them, as the error is usually there), secrets masked. Two pipes
     * read on two threads keep no reliable order between them; the run log has them as they came.
     */
    public List<String> tail() {
        List<String> out = stdout.lines().toList();
        List<String> err = stderr.lines().toList();
        int e = Math.min(err.size(), Math.max(TAIL_LINES / 2, TAIL_LINES - out.size()));
        int o = Math.min(out.size(), TAIL_LINES - e);
        List<String> tail = new ArrayList<>(out.subList(out.size() - o, out.size()));
        tail.addAll(err.subList(err.size() - e, err.size()));
        return tail.stream().map(command::scrub).toList();
    }

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** {@code exited 1}, or {@code timed out after 30 s}. */
    public String outcome() {
        return timedOut ? "timed out after " + seconds(command.timeout()) : "exited " + exitCode;
    }

    /** Returns this result if the command succeeded, else throws with the command and its last line of stderr. */
    public ExecResult check() {
        if (!ok()) {
            String last = stderr.strip().lines().reduce((a, b) -> b).map(command::scrub).orElse("");
            throw new CommandFailedException(this, "'" + command.display() + "' " + outcome()
                    + (last.isEmpty() ? "" : ": " + last));
        }
        return this;
    }

    /** Whole seconds as {@code 30 s}, else tenths: {@code 0.5 s}. */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
