package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.hostsetup.ContainerdConfig;
import io.kubestead.agent.hostsetup.PackageManager;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.preflight.Checks;
import io.kubestead.agent.preflight.Preflight;
import io.kubestead.agent.preflight.Role;
import io.kubestead.agent.spec.JoinSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The join plan for a master or a worker, as one literal list. */
public final class JoinPlan {
    public static final String NAME = "join";

    private JoinPlan() {
    }

    public static Plan create(JoinSpec spec, InstallContext context) {
        Optional<PackageManager> pm = InstallPlan.packageManager(context.facts());
        Optional<Path> agentHome = context.agentHome();
        List<Phase> phases = new ArrayList<>();
        Role role = spec.controlPlane() ? Role.MASTER : Role.WORKER;
        phases.add(new PreflightPhase(new Preflight(Checks.forRole(role, spec.nodeName()), spec.preflightIgnore())));
        phases.add(new AgentPhase(agentHome));
        phases.add(new SwapPhase());
        phases.add(new KernelPhase(spec.privateAddress().contains(":")));
        phases.add(new ContainerdPhase(pm, ContainerdConfig.pauseImage(InstallPlan.IMAGE_REPOSITORY, spec.kubernetesVersion()),
                spec.airgap()));
        phases.add(new KubernetesPackagesPhase(pm, spec.kubernetesVersion(), spec.airgap()));
        phases.add(new JoinConfigPhase(spec));
        phases.add(new KubeadmJoinPhase(HostKubeadm::new, KubeadmJoinPhase.JoinGate.NONE));
        return new Plan(NAME, phases);
    }
}
