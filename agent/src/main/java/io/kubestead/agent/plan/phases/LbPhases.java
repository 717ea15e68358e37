package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.BalancerLeftovers;
import io.kubestead.agent.lb.LbPaths;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.lb.Vip;
import io.kubestead.agent.plan.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The balancer phases every plan shares, so that each mode gets only the steps that do something in it. */
final class LbPhases {
    /** Stands for the VIP's interface in a dry-run, which records 'ip route get' instead of asking the host. */
    static final String DRY_RUN_INTERFACE = "dry-run-nic";

    private LbPhases() {
    }

    /**
     * The interface that carries the VIP's subnet, asked through the host the plan runs on: a dry-run records the
     * command and plans with {@link #DRY_RUN_INTERFACE}.
     */
    static Optional<String> vipInterface(Host host, String vip, boolean dryRun) {
        Optional<String> found = Vip.detectInterface(host, vip);
        return found.isEmpty() && dryRun ? Optional.of(DRY_RUN_INTERFACE) : found;
    }

    /**
     * After kubeadm (or, for set-endpoint, after the hosts entry moved): the static pod for the internal balancer,
     * then what another mode left, if the host has any.
     */
    static List<Phase> after(Host host, LbSettings lb, List<Master> masters, Optional<String> self, BalancerFile record,
                             boolean handover) {
        List<Phase> phases = new ArrayList<>();
        if (lb.runsHaproxy()) {
            phases.add(new LbStaticPodPhase(lb, masters, self, handover));
        }
        LbLeftoversPhase.ifAny(host, BalancerLeftovers.forNode(LbPaths.standard(), lb, self.isPresent(),
                record.followsMasters())).ifPresent(phases::add);
        return phases;
    }

    /** The lb-sync timer, where this node's balancer follows the masters. */
    static Optional<Phase> sync(BalancerFile record) {
        return record.followsMasters() ? Optional.of(new LbSyncPhase()) : Optional.empty();
    }
}
