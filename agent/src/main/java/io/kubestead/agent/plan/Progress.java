package io.kubestead.agent.plan;

/** Where a running plan reports: progress to stdout, warnings to stderr. */
public interface Progress {
    void phaseStarted(int index, int total, Phase phase);

    void phaseSkipped(int index, int total, Phase phase, String why);

    void phaseFinished(int index, int total, Phase phase);

    void info(String message);

    void warn(String message);

    /** A meter for one long step of the current phase: a bar on a terminal, plain lines in a pipe or CI log. */
    io.kubestead.agent.progress.Meter meter(String label, io.kubestead.agent.progress.Meter.Unit unit);
}
