package io.kubestead.agent.spec;

import java.util.ArrayList;
import java.util.List;
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

    /** The API server port on each master, which VIP and NONE clients reach directly. */
    public static final int API_SERVER_PORT = 6443;

    /**
     * The address every kubeconfig and join uses: the stable API name with the port of whatever answers behind it
     * (the external balancer's port, the internal balancer's loopback port, or the API server itself). An external
     * balancer given by DNS name is used as is: DNS is already a stable indirection and /etc/hosts cannot alias names.
     */
    public HostPort controlPlaneEndpoint(String apiName) {
        if (mode == Mode.EXTERNAL && !external.hostIsIp()) {
            return external;
        }
        int port = switch (mode) {
            case EXTERNAL -> external.port();
            case INTERNAL -> internalPort;
            case NONE, VIP -> API_SERVER_PORT;
        };
        return new HostPort(apiName, port);
    }

    /**
     * The IP the stable API name points at in /etc/hosts, or empty when DNS answers for it (an external balancer
     * given by name). {@code firstMaster} is the master a single-master (NONE) cluster's name points at.
     */
    public Optional<String> apiNameTarget(String firstMaster) {
        return switch (mode) {
            case EXTERNAL -> external.hostIsIp() ? Optional.of(external.host()) : Optional.empty();
            case INTERNAL -> Optional.of("127.0.0.1");
            case VIP -> Optional.of(vip);
            case NONE -> Optional.ofNullable(firstMaster);
        };
    }

    /**
     * The API server certificate's names for reaching it through the balancer, besides kubeadm's own (node name and
     * address, service IP, kubernetes.*): the stable name, the external balancer's host and the VIP.
     */
    public List<String> certificateSans(String apiName) {
        List<String> sans = new ArrayList<>();
        sans.add(apiName);
        externalAddress().ifPresent(e -> sans.add(e.host()));
        vipAddress().ifPresent(sans::add);
        return List.copyOf(sans);
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
