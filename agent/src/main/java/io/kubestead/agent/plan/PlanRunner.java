package io.kubestead.agent.plan;

import java.util.List;
import java.util.Set;

/**
 * Runs a plan in order. A phase is skipped when the state store says it finished and the phase agrees it is done,
 * or when the user skipped it by id. A failure stops the run, naming the phase; a rerun picks up from there.
 */
public final class PlanRunner {

    public void run(Plan plan, PhaseContext ctx, Set<String> skip) {
        List<Phase> phases = plan.phases();
        int total = phases.size();
        for (int i = 0; i < total; i++) {
            Phase phase = phases.get(i);
            int index = i + 1;
            ctx.log().section(phase.id() + ": " + phase.title());
            if (skip.contains(phase.id())) {
                ctx.progress().phaseSkipped(index, total, phase, "as asked");
                continue;
            }
            if (ctx.state().finished(plan.name(), phase.id()) && phase.done(ctx)) {
                ctx.progress().phaseSkipped(index, total, phase, "already done");
                continue;
            }
            ctx.progress().phaseStarted(index, total, phase);
            try {
                phase.run(ctx);
            } catch (PhaseFailedException e) {
                throw e;
            } catch (Exception e) {
                throw new PhaseFailedException(phase.id(), e);
            }
            ctx.state().markFinished(plan.name(), phase.id(), ctx.clock().instant());
            ctx.progress().phaseFinished(index, total, phase);
        }
    }
}
