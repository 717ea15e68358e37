package io.kubestead.agent.plan.phases;

import io.kubestead.agent.lb.BootstrapBalancer;
import io.kubestead.agent.lb.LbPaths;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.lb.NodeBalancer;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.List;
import java.util.Optional;

/**
 * Before kubeadm: the stable API name in /etc/hosts, the balancer's configuration, and for the internal balancer a
 * bootstrap HAProxy started directly, because kubeadm needs the endpoint before kubelet runs any static pod.
 */
final class LbPreparePhase implements Phase {
    private final LbSettings settings;
    private final List<Master> masters;
    private final Optional<String> localMaster;

    LbPreparePhase(LbSettings settings, List<Master> masters, Optional<String> localMaster) {
        this.settings = settings;
        this.masters = List.copyOf(masters);
        this.localMaster = localMaster;
    }

    @Override
    public String id() {
        return "lb/prepare";
    }

    @Override
    public String title() {
        return "Point the stable API name at the " + settings.mode().name().toLowerCase() + " load balancer";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        // the bootstrap balancer is a process: after a reboot mid-install it must be started again
        return !settings.runsHaproxy() || ctx.host().exists("/etc/kubernetes/manifests/haproxy.yaml")
                || new BootstrapBalancer(ctx.host(), LbPaths.standard(), settings.haproxyImage()).running();
    }

    @Override
    public void run(PhaseContext ctx) {
        var change = new NodeBalancer(settings, LbPaths.standard()).prepare(ctx.host(), masters, localMaster);
        change.written().forEach(p -> ctx.progress().info("wrote " + p));
        if (settings.runsHaproxy() && !ctx.host().exists(LbPaths.standard().haproxyManifest())) {
            String how = new BootstrapBalancer(ctx.host(), LbPaths.standard(), settings.haproxyImage()).start();
            ctx.progress().info("bootstrap load balancer started (" + how + ") until kubelet runs the static pod");
        }
    }
}
