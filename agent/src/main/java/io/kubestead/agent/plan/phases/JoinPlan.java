package io.kubestead.agent.plan.phases;

import io.kubestead.agent.airgap.BundleFetch;
import io.kubestead.agent.airgap.ImageImport;
import java.time.Duration;
import io.kubestead.agent.hostsetup.ContainerdConfig;
import io.kubestead.agent.hostsetup.PackageManager;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.spec.LoadBalancer;
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

    /** The balancer settings a join (or set-endpoint) spec gives; a master with a VIP also needs its interface. */
    static LbSettings balancer(JoinSpec spec, boolean master, Host host) {
        String vipInterface = spec.loadBalancer() == LoadBalancer.Mode.VIP && master
                ? LbPhases.vipInterface(host, spec.endpointAddress(), spec.dryRun().isPresent()).orElse(null) : null;
        return LbSettings.of(spec.balancer(), spec.clusterName(), spec.endpoint().host(), vipInterface, null);
    }

    /** {@code host} is the host the plan will run on, as for {@link InstallPlan#create}. */
    public static Plan create(JoinSpec spec, InstallContext context, Host host) {
        Optional<PackageManager> pm = InstallPlan.packageManager(context.facts());
        Optional<Path> agentHome = context.agentHome();
        List<Phase> phases = new ArrayList<>();
        Role role = spec.controlPlane() ? Role.MASTER : Role.WORKER;
        phases.add(new PreflightPhase(new Preflight(Checks.forRole(role, spec.nodeName(), spec.kubernetesVersion()), spec.preflightIgnore())));
        phases.add(new AgentPhase(agentHome));
        if (spec.airgap()) {
            // with no archive beside install.sh, the bundle comes from a master: the operator copies install.sh only
            Optional<BundleFetch> fetch = spec.bundleSources().isEmpty() ? Optional.empty() : Optional.of(new BundleFetch(
                    spec.bundleSources(), spec.bundleServerPort(), spec.token(), spec.caHash(), Duration.ofSeconds(30)));
            phases.add(new BundlePhase(context.airgapArchive(), BundlePhase.extractor(spec.bundleTrust()), fetch));
        }
        phases.add(new SwapPhase());
        phases.add(new KernelPhase(spec.privateAddress().contains(":")));
        phases.add(new ContainerdPhase(pm, ContainerdConfig.pauseImage(InstallPlan.IMAGE_REPOSITORY, spec.kubernetesVersion()),
                spec.airgap()));
        phases.add(new KubernetesPackagesPhase(pm, spec.kubernetesVersion(), spec.airgap()));
        if (spec.airgap()) {
            phases.add(new ImageImportPhase(new ImageImport()));
        }
        LbSettings lb = balancer(spec, spec.controlPlane(), host);
        List<Master> masters = spec.masterAddresses().stream().map(Master::fromAddress).toList();
        Optional<String> self = spec.controlPlane() ? Optional.of(spec.nodeName()) : Optional.empty();
        List<Master> withSelf = new ArrayList<>(masters);
        if (spec.controlPlane()) {
            // until its own API server is up, the local balancer's preference for itself falls through to the others
            withSelf.add(new Master(spec.nodeName(), spec.privateAddress()));
        }
        List<Master> all = withSelf.stream().distinct().sorted().toList();
        BalancerFile record = new BalancerFile(spec.balancer(), spec.clusterName(), spec.endpoint().host(), self);
        phases.add(new LbPreparePhase(lb, all, self, record, true));
        phases.add(new JoinConfigPhase(spec));
        phases.add(new KubeadmJoinPhase(HostKubeadm::new, spec.controlPlane()
                ? new GatedControlPlaneJoin(spec, context.controlPlaneGate()) : KubeadmJoinPhase.JoinGate.NONE));
        if (spec.airgap() && spec.controlPlane()) {
            phases.add(new BundleServerPhase(spec.privateAddress(), spec.bundleServerPort()));
        }
        phases.addAll(LbPhases.after(host, lb, all, self, record, true));
        phases.add(spec.controlPlane() ? LabelsPhase.master(spec.nodeName()) : LabelsPhase.worker(spec.nodeName()));
        if (spec.controlPlane()) {
            // a second master means ha: its timer reads the setting the first master applied
            phases.add(new PurgeLostPhase(Optional.empty()));
        }
        LbPhases.sync(record).ifPresent(phases::add);
        if (spec.controlPlane()) { // the certificates of every master; backups run on the first one
            phases.add(new MaintenancePhase(java.time.Duration.ZERO));
        }
        return new Plan(NAME, phases);
    }
}
