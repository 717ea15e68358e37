package io.kubestead.agent.plan;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import java.time.Clock;

/**
 * What a phase may use: the host it changes, where to report, a clock, and the typed settings of the command
 * being run (an install spec, a join spec), which each phase factory captures in its phases.
 */
public record PhaseContext(Host host, Progress progress, ActionLog log, Clock clock, boolean dryRun, StateStore state) {
}
