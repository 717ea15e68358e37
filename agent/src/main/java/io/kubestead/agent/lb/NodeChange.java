package io.kubestead.agent.lb;

import java.util.List;

/**
 * What applying the balancer files did on one node: files written or deleted, and services reloaded. Nothing in any
 * list means the node was already current.
 */
public record NodeChange(String node, List<String> written, List<String> deleted, List<String> reloads) {

    public NodeChange {
        written = List.copyOf(written);
        deleted = List.copyOf(deleted);
        reloads = List.copyOf(reloads);
    }

    public boolean changed() {
        return !written.isEmpty() || !deleted.isEmpty();
    }
}
