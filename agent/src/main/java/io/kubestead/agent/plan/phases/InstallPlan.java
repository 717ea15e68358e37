package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.kubeadm.HostKubeadm;
import java.security.SecureRandom;
import io.kubestead.agent.hostsetup.ContainerdConfig;
import io.kubestead.agent.hostsetup.PackageManager;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.preflight.Checks;
import io.kubestead.agent.preflight.Preflight;
import io.kubestead.agent.preflight.Role;
import io.kubestead.agent.spec.InstallSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The install plan for the first master, as one literal list: review the order here. */
public final class InstallPlan {
    public static final String NAME = "install";
    static final String IMAGE_REPOSITORY = "registry.k8s.io";

    private InstallPlan() {
    }

    static Optional<PackageManager> packageManager(HostFacts facts) {
        return Optional.ofNullable(facts.packageManager()).map(n -> switch (n) {
            case "apt" -> PackageManager.APT;
            case "dnf" -> PackageManager.DNF;
            default -> PackageManager.YUM;
        });
    }

    public static Plan create(InstallSpec spec, HostFacts facts, Optional<Path> agentHome, SecureRandom random) {
        Optional<PackageManager> pm = packageManager(facts);
        List<Phase> phases = new ArrayList<>();
        phases.add(new PreflightPhase(new Preflight(Checks.forRole(Role.MASTER, spec.nodeName()), spec.preflightIgnore())));
        phases.add(new AgentPhase(agentHome));
        phases.add(new InstallSpecPhase(spec));
        phases.add(new SwapPhase());
        phases.add(new KernelPhase(spec.podCidr().ipv6() || spec.serviceCidr().ipv6()));
        phases.add(new ContainerdPhase(pm, ContainerdConfig.pauseImage(IMAGE_REPOSITORY, spec.kubernetesVersion()), spec.airgap()));
        phases.add(new KubernetesPackagesPhase(pm, spec.kubernetesVersion(), spec.airgap()));
        phases.add(new KubeadmConfigPhase(spec, random));
        phases.add(new KubeadmInitPhase(HostKubeadm::new));
        return new Plan(NAME, phases);
    }
}
