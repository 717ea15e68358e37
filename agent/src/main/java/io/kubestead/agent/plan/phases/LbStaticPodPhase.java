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

/** After kubeadm: the bootstrap HAProxy hands over to the static pod that kubelet now runs. */
final class LbStaticPodPhase implements Phase {
    private final LbSettings settings;
    private final List<Master> masters;
    private final Optional<String> localMaster;

    LbStaticPodPhase(LbSettings settings, List<Master> masters, Optional<String> localMaster) {
        this.settings = settings;
        this.masters = List.copyOf(masters);
        this.localMaster = localMaster;
    }

    @Override
    public String id() {
        return "lb/static-pod";
    }

    @Override
    public String title() {
        return "Run the load balancer as a static pod";
    }

    @Override
    public void run(PhaseContext ctx) {
        if (settings.runsHaproxy()) {
            new BootstrapBalancer(ctx.host(), LbPaths.standard(), settings.haproxyImage()).stop();
        }
        var change = new NodeBalancer(settings, LbPaths.standard()).apply(ctx.host(), masters, localMaster);
        change.written().forEach(p -> ctx.progress().info("wrote " + p));
    }
}
