package io.kubestead.agent.lb;

import java.util.List;

/** The outcome of one {@link Reconciler} pass, one entry per node in the order given. */
public record ReconcileReport(List<NodeChange> nodes) {

    public ReconcileReport {
        nodes = List.copyOf(nodes);
    }

    public List<String> changedNodes() {
        return nodes.stream().filter(NodeChange::changed).map(NodeChange::node).toList();
    }

    public List<NodeChange> failures() {
        return nodes.stream().filter(n -> n.error().isPresent()).toList();
    }

    public boolean ok() {
        return failures().isEmpty();
    }
}
