package io.kubestead.agent.plan.phases;

import io.kubestead.agent.airgap.BundleInstall;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.hostsetup.KubernetesPackages;
import io.kubestead.agent.hostsetup.PackageManager;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.version.KubernetesVersion;
import java.util.Optional;

/** kubelet, kubeadm and kubectl at exactly the chosen version, held against routine upgrades. */
final class KubernetesPackagesPhase implements Phase {
    private final Optional<PackageManager> packageManager;
    private final KubernetesVersion version;
    private final boolean airgap;

    KubernetesPackagesPhase(Optional<PackageManager> packageManager, KubernetesVersion version, boolean airgap) {
        this.packageManager = packageManager;
        this.version = version;
        this.airgap = airgap;
    }

    @Override
    public String id() {
        return "host/kubernetes";
    }

    @Override
    public String title() {
        return "Install kubelet, kubeadm and kubectl " + version;
    }

    @Override
    public boolean done(PhaseContext ctx) {
        var r = ctx.host().run("kubeadm", "version", "-o", "short");
        return r.ok() && r.stdout().strip().equals(version.tag());
    }

    @Override
    public void run(PhaseContext ctx) {
        if (airgap) {
            AirgapBundle.load(ctx).ifPresentOrElse(b -> {
                if (!b.kubernetesVersion().equals(version.toString())) {
                    throw new IllegalStateException("the air-gap bundle in " + b.dir() + " is for Kubernetes "
                            + b.kubernetesVersion() + ", not " + version + "; use the bundle for " + version);
                }
                new BundleInstall(b).kubernetes(ctx.host());
            }, () -> ctx.progress().info("would install kubelet, kubeadm, kubectl and the CNI plugins from the air-gap bundle"));
            return;
        }
        PackageManager pm = packageManager.orElseThrow(() -> new IllegalStateException(
                "no apt-get, dnf or yum on this host; install kubelet, kubeadm and kubectl " + version + " and rerun"));
        KubernetesPackages packages = new KubernetesPackages(version);
        if (pm == PackageManager.APT) {
            ctx.host().mkdirs("/etc/apt/keyrings", 0755);
            ctx.host().writeString(KubernetesPackages.APT_SOURCE, packages.aptSource(), 0644);
        } else {
            ctx.host().writeString(KubernetesPackages.RPM_REPO, packages.rpmRepo(), 0644);
        }
        for (Command c : packages.installCommands(pm)) {
            ctx.host().run(c).check();
        }
    }
}
