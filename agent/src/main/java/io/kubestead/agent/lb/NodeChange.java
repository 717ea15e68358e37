package io.kubestead.agent.lb;

import java.util.List;
import java.util.Optional;

/**
 * What applying the balancer files did on one node: files written or deleted, services reloaded, or the error that
 * stopped it. Nothing in any list means the node was already current.
 */
public record NodeChange(String node, List<String> written, List<String> deleted, List<String> reloads,
                         Optional<String> error) {

    public NodeChange {
        written = List.copyOf(written);
        deleted = List.copyOf(deleted);
        reloads = List.copyOf(reloads);
    }

    public boolean changed() {
        return !written.isEmpty() || !deleted.isEmpty();
    }

    public static NodeChange failed(String node, String error) {
        return new NodeChange(node, List.of(), List.of(), List.of(), Optional.of(error));
    }
}
