package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.plan.PlanRunner;
import io.kubestead.agent.plan.StateStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Running a plan the same way for every command: on the real host, or on a dry-run host rooted in a directory
 * (whose plan.txt is written at the end); progress to stdout, state recorded for reruns. It holds the host lock
 * from its start (before the first read of the host's state) to its close, and writes the run log.
 */
final class PlanExecution implements AutoCloseable {
    private final CliEnvironment env;
    private final Optional<Path> dryRun;
    private final ActionLog log = new ActionLog();
    private final Host host;
    private final HostSession session;
    /** A dry-run directory made by this run, removed again if no phase starts. */
    private final boolean madeDryRunDir;
    private boolean started;

    /**
     * Takes the host lock for {@code command}, waiting a while for another command to finish; the run log starts
     * with the plan (so bad input found before it, such as --skip-phases, leaves none).
     */
    PlanExecution(CliEnvironment env, Optional<Path> dryRun, String command) {
        this.env = env;
        this.dryRun = dryRun;
        this.madeDryRunDir = dryRun.filter(dir -> !java.nio.file.Files.exists(dir)).isPresent();
        this.host = host(env, dryRun, log);
        this.session = HostSession.lock(env, host, command);
    }

    /** The host a plan runs on: the real one, or the dry-run tree. */
    static Host host(CliEnvironment env, Optional<Path> dryRun, ActionLog log) {
        return dryRun.map(dir -> DryRun.host(dir, log)).orElseGet(() -> env.realHost().apply(log));
    }

    Host host() {
        return host;
    }

    StateStore state() {
        return new StateStore(host);
    }

    /** Runs the plan; {@code summary} heads a dry-run's plan.txt. */
    void run(Plan plan, String summary) {
        run(plan, summary, Set.of());
    }

    /** A name in {@code skip} that is not a phase of the plan is bad input, found before anything is written. */
    static Set<String> checkSkips(Plan plan, java.util.Collection<String> skip) {
        java.util.List<String> ids = plan.phases().stream().map(io.kubestead.agent.plan.Phase::id).toList();
        for (String id : skip) {
            if (!ids.contains(id)) {
                throw new io.kubestead.agent.spec.SpecException("--skip-phases: '" + id + "' is not a phase of " + plan.name()
                        + "; phases are " + String.join(", ", ids));
            }
        }
        return Set.copyOf(skip);
    }

    /** Runs the plan without the phases named in {@code skip} (checked with {@link #checkSkips}). */
    void run(Plan plan, String summary, Set<String> skip) {
        run(plan, summary, skip, () -> { });
    }

    /**
     * As above; {@code beforeFirstPhase} is the command's own change to the host (forgetting progress), made only
     * once every phase has checked its inputs, so refused input leaves the host as it was.
     */
    void run(Plan plan, String summary, Set<String> skip, Runnable beforeFirstPhase) {
        run(plan, summary, skip, () -> true, beforeFirstPhase);
    }

    /**
     * As above, asking {@code proceed} once every phase has checked its inputs and before anything is written (the
     * run log included); false when it said no, and then nothing was changed.
     */
    boolean run(Plan plan, String summary, Set<String> skip, java.util.function.BooleanSupplier proceed,
            Runnable beforeFirstPhase) {
        PhaseContext ctx = new PhaseContext(host, new ConsoleProgress(env.out(), env.err(), env.terminal()), log,
                env.clock(), dryRun.isPresent(), state());
        try {
            // the run log starts once every phase has checked its inputs: refused input leaves no log either
            new PlanRunner().run(plan, ctx, skip, () -> {
                if (!proceed.getAsBoolean()) {
                    throw new Declined();
                }
                started = true;
                session.startLog(host, log, dryRun.isPresent());
                beforeFirstPhase.run();
            });
        } catch (Declined e) {
            return false;
        } catch (RuntimeException e) {
            session.failed(e);
            throw e;
        }
        dryRun.ifPresent(dir -> DryRun.writePlan(dir, plan, log, summary, env.clock()));
        return true;
    }

    /** The answer no, carried out of the plan runner before its first phase. */
    private static final class Declined extends RuntimeException {
        Declined() {
            super("declined", null, false, false);
        }
    }

    /** Ends the run log and releases the host lock. */
    @Override
    public void close() {
        session.close();
        if (madeDryRunDir && !started) {
            DryRun.removeUnused(dryRun.get());
        }
    }
}
