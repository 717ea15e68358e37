package io.kubestead.agent.plan.phases;

import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * The reset plan, as one literal list: leave the cluster (a master: quorum check, Node, API server, etcd member), then undo
 * the host's setup. Packages stay installed.
 */
public final class ResetPlan {
    public static final String NAME = "reset";

    private ResetPlan() {
    }

    public static Plan create(ResetContext rc) {
        LeaveSteps leave = new LeaveSteps(rc);
        CleanupSteps cleanup = new CleanupSteps(rc);
        List<Phase> phases = new ArrayList<>();
        if (rc.target().master()) {
            phases.add(leave.etcdCheck());
        }
        phases.add(leave.node());
        if (rc.target().master()) {
            phases.add(leave.apiServer());
            phases.add(leave.etcdMember());
        }
        phases.add(cleanup.lbSync());
        phases.add(cleanup.purgeLost());
        phases.add(cleanup.maintenance());
        phases.add(cleanup.bootstrapBalancer());
        phases.add(cleanup.kubeconfigs());
        phases.add(cleanup.kubeadmReset());
        phases.add(cleanup.cni());
        phases.add(cleanup.kubelet());
        phases.add(cleanup.balancerFiles());
        phases.add(cleanup.kernel());
        phases.add(cleanup.kubesteadFiles());
        return new Plan(NAME, phases);
    }
}
