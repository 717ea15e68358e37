package io.kubestead.agent.plan.phases;

import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.InstallSpec;

/** Records the resolved install settings at /etc/kubestead/install.json: what every later step and rerun reads. */
final class InstallSpecPhase implements Phase {
    static final String PATH = "/etc/kubestead/install.json";
    private final InstallSpec spec;

    InstallSpecPhase(InstallSpec spec) {
        this.spec = spec;
    }

    static byte[] render(InstallSpec spec) {
        return io.kubestead.agent.spec.InstallSpecJson.write(spec);
    }

    @Override
    public String id() {
        return "install-spec";
    }

    @Override
    public String title() {
        return "Record the install settings in " + PATH;
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().readFile(PATH).map(b -> java.util.Arrays.equals(b, render(spec))).orElse(false);
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().writeFile(PATH, render(spec), 0644);
    }
}
