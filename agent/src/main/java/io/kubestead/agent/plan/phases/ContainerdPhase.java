package io.kubestead.agent.plan.phases;

import io.kubestead.agent.airgap.BundleInstall;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.hostsetup.ContainerdConfig;
import io.kubestead.agent.hostsetup.KubernetesPackages;
import io.kubestead.agent.hostsetup.PackageManager;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.Optional;

/** Installs containerd if missing, configures it for the kubelet and restarts it only when its config changed. */
final class ContainerdPhase implements Phase {
    private final Optional<PackageManager> packageManager;
    private final String pauseImage;
    private final boolean airgap;

    ContainerdPhase(Optional<PackageManager> packageManager, String pauseImage, boolean airgap) {
        this.packageManager = packageManager;
        this.pauseImage = pauseImage;
        this.airgap = airgap;
    }

    @Override
    public String id() {
        return "host/containerd";
    }

    @Override
    public String title() {
        return "Install and configure containerd (systemd cgroups, pause image)";
    }

    private String config(PhaseContext ctx) {
        return ContainerdConfig.render(pauseImage, !ContainerdConfig.canLowerOomScores(ctx.host()));
    }

    @Override
    public boolean done(PhaseContext ctx) {
        String config = config(ctx);
        return (ctx.host().exists("/usr/bin/containerd") || ctx.host().exists(BundleInstall.CONTAINERD_BIN_DIR + "/containerd"))
                && ctx.host().readString(ContainerdConfig.PATH).equals(Optional.of(config));
    }

    @Override
    public void run(PhaseContext ctx) {
        if (airgap) {
            // always from the bundle, so the version is the bundle's; unchanged files are not rewritten
            AirgapBundle.load(ctx).ifPresentOrElse(b -> new BundleInstall(b).containerd(ctx.host()),
                    () -> ctx.progress().info("would install containerd from the air-gap bundle"));
        } else if (!ctx.host().exists("/usr/bin/containerd") && !ctx.host().exists("/usr/local/bin/containerd")) {
            PackageManager pm = packageManager.orElseThrow(() -> new IllegalStateException(
                    "no apt-get, dnf or yum on this host to install containerd with; install containerd and rerun"));
            for (Command c : KubernetesPackages.containerdCommands(pm)) {
                ctx.host().run(c).check();
            }
        }
        String config = config(ctx);
        boolean changed = !ctx.host().readString(ContainerdConfig.PATH).equals(Optional.of(config));
        if (changed) {
            ctx.host().writeString(ContainerdConfig.PATH, config, 0644);
        }
        ctx.host().run("systemctl", "enable", "containerd").check();
        ctx.host().run("systemctl", changed ? "restart" : "start", "containerd").check();
    }
}
