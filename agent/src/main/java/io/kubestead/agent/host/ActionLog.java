package io.kubestead.agent.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Every change made through a host, in order: the material of a dry-run's plan.txt and of tests. With a
 * {@link RunLog} attached, each change, each command's output and outcome also go there as they happen.
 */
public final class ActionLog {
    private final List<String> actions = new ArrayList<>();
    private String section = "";
    private volatile RunLog runLog;
    private volatile boolean outcomes;

    /**
     * From now on, also writes to {@code log} as things happen; with {@code outcomes}, how each command ended too
     * (a dry-run's commands are only listed: they have no outcome).
     */
    public void recordTo(RunLog log, boolean outcomes) {
        this.outcomes = outcomes;
        this.runLog = log;
    }

    /** Marks the start of a phase; following actions are listed under it. */
    public synchronized void section(String title) {
        section = title;
        actions.add("== " + title);
        journal("== " + title);
    }

    public synchronized void add(String action) {
        actions.add("   " + action);
        journal("   " + action);
    }

    /** Where a command's output goes as it runs: the run log, with the command's secrets masked. */
    public OutputSink output(Command command) {
        RunLog log = runLog;
        return log == null ? OutputSink.NONE : (line, stderr) -> log.line((stderr ? "   ! " : "   | ") + command.scrub(line));
    }

    /** How a command ended, for the run log only (plan.txt lists what runs, not how it went). */
    public void ended(ExecResult result) {
        if (outcomes) {
            journal("   " + result.outcome());
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(actions);
    }

    public synchronized String currentSection() {
        return section;
    }

    private void journal(String line) {
        RunLog log = runLog;
        if (log != null) {
            log.line(line);
        }
    }
}
