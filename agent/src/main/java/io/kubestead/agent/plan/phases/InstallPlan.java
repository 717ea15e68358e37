package io.kubestead.agent.plan.phases;

import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.spec.InstallSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The install plan for the first master, as one literal list: review the order here. */
public final class InstallPlan {
    public static final String NAME = "install";

    private InstallPlan() {
    }

    public static Plan create(InstallSpec spec, Optional<Path> agentHome) {
        List<Phase> phases = new ArrayList<>();
        phases.add(new AgentPhase(agentHome));
        phases.add(new InstallSpecPhase(spec));
        return new Plan(NAME, phases);
    }
}
