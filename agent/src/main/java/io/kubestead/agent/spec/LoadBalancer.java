package io.kubestead.agent.spec;

import java.util.Optional;

/**
 * How nodes reach the API servers. Every mode points the cluster at a stable API name that each node resolves
 * through /etc/hosts, so that a new master address or a new balancer is a hosts-file change, not new certificates.
 */
public record LoadBalancer(Mode mode, HostPort external, int internalPort, String vip, String source) {

    public enum Mode {
        /** One master, no balancer yet: the stable name resolves to the master itself. */
        NONE,
        /** The user's TCP balancer: {@code load-balancer-address=HOST:PORT}. */
        EXTERNAL,
        /** HAProxy on every node on a loopback port, in front of all masters. */
        INTERNAL,
        /** A keepalived virtual IP moving among the masters. */
        VIP
    }

    public Optional<HostPort> externalAddress() {
        return Optional.ofNullable(external);
    }

    public Optional<String> vipAddress() {
        return Optional.ofNullable(vip);
    }

    /** One line for the user: what was chosen and why. */
    public String describe() {
        return switch (mode) {
            case NONE -> "no load balancer (single master; rerun with 'ha' to add masters)";
            case EXTERNAL -> "external load balancer " + external + " (" + source + ")";
            case INTERNAL -> "internal load balancer: HAProxy on every node at 127.0.0.1:" + internalPort + " (" + source + ")";
            case VIP -> "virtual IP " + vip + " held by keepalived among the masters (" + source + ")";
        };
    }
}
