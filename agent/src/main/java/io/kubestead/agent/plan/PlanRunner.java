package io.kubestead.agent.plan;

import java.util.List;
import java.util.Set;

/**
 * Runs a plan in order. First every phase checks its inputs ({@link Phase#validate}), so bad input stops the run
 * before anything changed. A phase is skipped when the state store says it finished and the phase agrees it is done,
 * or when the user skipped it by id. A failure stops the run, naming the phase; a rerun picks up from there.
 */
public final class PlanRunner {

    public void run(Plan plan, PhaseContext ctx, Set<String> skip) {
        run(plan, ctx, skip, () -> { });
    }

    /** As above, with {@code beforeFirstPhase} run once every phase's inputs are checked (the command's own writes). */
    public void run(Plan plan, PhaseContext ctx, Set<String> skip, Runnable beforeFirstPhase) {
        validate(plan, ctx, skip);
        beforeFirstPhase.run();
        execute(plan, ctx, skip);
    }

    /** Asks every phase that will run to check its inputs; the first refusal stops it, naming the phase. */
    private static void validate(Plan plan, PhaseContext ctx, Set<String> skip) {
        for (Phase phase : plan.phases()) {
            if (skip.contains(phase.id())) {
                continue;
            }
            try {
                phase.validate(ctx);
            } catch (PhaseFailedException e) {
                throw e;
            } catch (Exception e) {
                throw new PhaseFailedException(phase.id(), e);
            }
        }
    }

    private static void execute(Plan plan, PhaseContext ctx, Set<String> skip) {
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
