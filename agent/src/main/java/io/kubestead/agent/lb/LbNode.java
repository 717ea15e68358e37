package io.kubestead.agent.lb;

import io.kubestead.agent.host.Host;

import java.util.Optional;

/** A node whose balancer files the {@link Reconciler} keeps current; {@code masterName} is empty on a worker. */
public record LbNode(Host host, Optional<String> masterName) {

    public LbNode {
        masterName = masterName == null ? Optional.empty() : masterName;
    }

    public static LbNode worker(Host host) {
        return new LbNode(host, Optional.empty());
    }

    public static LbNode master(Host host, String name) {
        return new LbNode(host, Optional.of(name));
    }
}
