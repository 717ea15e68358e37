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
 * The internal balancer only: kubelet runs the local HAProxy as a static pod. After kubeadm the bootstrap instance
 * stops first (the two cannot share the port); on a node that already runs kubelet (set-endpoint) the manifest is
 * simply written.
 */
final class LbStaticPodPhase implements Phase {
    private final LbSettings settings;
    private final List<Master> masters;
    private final Optional<String> localMaster;
    private final boolean handover;

    LbStaticPodPhase(LbSettings settings, List<Master> masters, Optional<String> localMaster, boolean handover) {
        if (!settings.runsHaproxy()) {
            throw new IllegalArgumentException("only the internal balancer runs as a static pod");
        }
        this.settings = settings;
        this.masters = List.copyOf(masters);
        this.localMaster = localMaster;
        this.handover = handover;
    }

    @Override
    public String id() {
        return "lb/static-pod";
    }

    @Override
    public String title() {
        return handover ? "Hand the bootstrap HAProxy over to its static pod" : "Run the local HAProxy as a static pod";
    }

    @Override
    public void run(PhaseContext ctx) {
        new BootstrapBalancer(ctx.host(), LbPaths.standard(), settings.haproxyImage()).stop();
        var change = new NodeBalancer(settings, LbPaths.standard()).apply(ctx.host(), masters, localMaster);
        change.written().forEach(p -> ctx.progress().info("wrote " + p));
    }
}
