package io.kubestead.agent.lb;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every node's balancer in step with the masters (issue item 4). The join flow calls it after a master joins
 * or leaves; a cluster operator can call it on any change of the master list. Idempotent: a second call with the
 * same masters changes nothing. A node that fails is reported and the others are still updated.
 */
public final class Reconciler {
    private final NodeBalancer balancer;

    public Reconciler(LbSettings settings, LbPaths paths) {
        this.balancer = new NodeBalancer(settings, paths);
    }

    public ReconcileReport reconcile(List<Master> masters, List<LbNode> nodes) {
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("no masters: refusing to point every balancer at nothing");
        }
        List<NodeChange> changes = new ArrayList<>();
        for (LbNode node : nodes) {
            try {
                changes.add(balancer.apply(node.host(), masters, node.masterName()));
            } catch (RuntimeException e) {
                changes.add(NodeChange.failed(node.host().name(), e.getMessage()));
            }
        }
        return new ReconcileReport(changes);
    }
}
