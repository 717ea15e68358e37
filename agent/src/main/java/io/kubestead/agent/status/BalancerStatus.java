package io.kubestead.agent.status;

import java.util.List;

/**
 * This node's way to the API servers: the mode ({@code internal}, {@code external}, {@code vip}, {@code none}, or
 * {@code unknown} without /etc/kubestead/balancer.json), the endpoint nodes dial, and every backend as seen from
 * this node.
 */
public record BalancerStatus(String mode, String endpoint, List<BackendStatus> backends) {
    public BalancerStatus {
        backends = List.copyOf(backends);
    }

    /**
     * One address this node's balancer sends to (a master's API server) or dials (an external balancer, the VIP).
     *
     * @param detail what the /readyz probe answered ("ready", "HTTP 500", "connection refused" ...)
     */
    public record BackendStatus(String name, String address, boolean healthy, String detail) {
    }
}
