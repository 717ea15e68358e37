package io.kubestead.agent.plan.phases;

import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.preflight.CheckResult;
import io.kubestead.agent.preflight.Preflight;

/** Checks the host can become a node before anything on it changes. Always runs again on a rerun. */
final class PreflightPhase implements Phase {
    private final Preflight preflight;

    PreflightPhase(Preflight preflight) {
        this.preflight = preflight;
    }

    @Override
    public String id() {
        return "preflight";
    }

    @Override
    public String title() {
        return "Check that this host can run Kubernetes";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return false; // the host may have changed since the last run: always check again
    }

    @Override
    public void run(PhaseContext ctx) {
        if (ctx.dryRun()) {
            ctx.progress().info("checks on the real host: run 'kubestead preflight' with the same words");
            return;
        }
        preflight.run(ctx.host(), o -> {
            String line = o.check().name() + ": " + o.result().message();
            switch (o.result().status()) {
                case PASS -> ctx.progress().info("ok    " + line);
                case WARN -> ctx.progress().warn(line);
                case FAIL -> {
                    if (o.ignored()) {
                        ctx.progress().warn(line + " (ignored as asked)");
                    } else {
                        ctx.progress().info("FAIL  " + line);
                    }
                }
            }
        });
    }

    static boolean failed(CheckResult r) {
        return r.status() == CheckResult.Status.FAIL;
    }
}
