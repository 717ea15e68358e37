package io.kubestead.agent.plan.phases;

import io.kubestead.agent.airgap.ImageImport;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.kubeadm.HostKubeadm;
import java.security.SecureRandom;
import io.kubestead.agent.hostsetup.ContainerdConfig;
import io.kubestead.agent.hostsetup.PackageManager;
import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.host.Host;
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

    /**
     * With the spec of an earlier run, so a moved API endpoint also moves the cluster's records of it. {@code host}
     * is the host the plan will run on (the real one or the dry-run tree): the VIP's interface is asked through it,
     * and what another balancer mode left there gets its own phase.
     */
    public static Plan create(InstallSpec spec, InstallContext context, Optional<InstallSpec> previous, Host host) {
        Optional<PackageManager> pm = packageManager(context.facts());
        LbSettings lb = LbSettings.forInstall(spec, spec.loadBalancer().vipAddress()
                .flatMap(vip -> LbPhases.vipInterface(host, vip, spec.dryRun().isPresent())));
        BalancerFile record = new BalancerFile(spec.loadBalancer(), spec.clusterName(), spec.apiName(),
                Optional.of(spec.nodeName()));
        List<Master> masters = List.of(new Master(spec.nodeName(), spec.privateAddress()));
        Optional<String> self = Optional.of(spec.nodeName());
        List<Phase> phases = new ArrayList<>();
        phases.add(new PreflightPhase(new Preflight(Checks.forRole(Role.MASTER, spec.nodeName(), spec.kubernetesVersion(),
                spec.externalBalancer()), spec.preflightIgnore())));
        phases.add(new AgentPhase(context.agentHome()));
        phases.add(new InstallSpecPhase(spec));
        phases.add(new SwapPhase());
        phases.add(new KernelPhase(spec.podCidr().ipv6() || spec.serviceCidr().ipv6()));
        if (spec.airgap()) {
            phases.add(new BundlePhase(context.airgapArchive(), BundlePhase.extractor(spec.bundleTrust()), Optional.empty()));
        }
        phases.add(new ContainerdPhase(pm, ContainerdConfig.pauseImage(IMAGE_REPOSITORY, spec.kubernetesVersion()), spec.airgap()));
        phases.add(new KubernetesPackagesPhase(pm, spec.kubernetesVersion(), spec.airgap()));
        if (spec.airgap()) {
            phases.add(new ImageImportPhase(new ImageImport()));
        }
        phases.add(new PkiPhase(spec));
        phases.add(new KubeadmConfigPhase(spec, context.random()));
        phases.add(new LbPreparePhase(lb, masters, self, record, true));
        phases.add(new KubeadmInitPhase(HostKubeadm::new));
        phases.add(new JoinLockRbacPhase());
        if (spec.airgap()) {
            phases.add(new BundleServerPhase(spec.privateAddress(), spec.bundleServerPort()));
        }
        phases.addAll(LbPhases.after(host, lb, masters, self, record, true));
        LbPhases.sync(record).ifPresent(phases::add);
        previous.filter(p -> !p.controlPlaneEndpoint().equals(spec.controlPlaneEndpoint()))
                .ifPresent(p -> phases.add(new EndpointChangePhase(p.controlPlaneEndpoint(), spec.controlPlaneEndpoint())));
        if (lb.external().isPresent()) {
            phases.add(new ExternalBalancerPhase(lb, masters, spec.nodeName(), context.balancerCheckPatience()));
        }
        phases.add(new CniPhase(spec.podCidr().toString()));
        phases.add(new KubeconfigPhase(context.sudoUser()));
        phases.add(LabelsPhase.master(spec.nodeName()));
        if (spec.ha()) {
            phases.add(new PurgeLostPhase(Optional.of(spec.purgeAfter())));
        }
        phases.add(new JoinScriptsPhase(spec, context.baseUrl()));
        phases.add(new ConsolePhase(spec.console(), context.random()));
        phases.add(new MaintenancePhase(spec.etcdBackup()));
        return new Plan(NAME, phases);
    }
}
