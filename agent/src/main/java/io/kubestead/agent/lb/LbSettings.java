package io.kubestead.agent.lb;

import io.kubestead.agent.spec.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster-wide load-balancing choices, the same on every node.
 *
 * <p>Endpoint decision (issue item 3): clients always use the stable name {@code api.<cluster>.kubestead.internal},
 * which each node resolves through the managed block in /etc/hosts (127.0.0.1 for INTERNAL, the VIP, the external
 * balancer's IP, or the single master for DIRECT). A new balancer IP or a switch of mode is then a hosts-file and
 * kubeconfig-free change, never new certificates. The one exception: an external balancer given by DNS name is used as
 * is in controlPlaneEndpoint, because /etc/hosts cannot alias a name to a name and DNS already gives the indirection.
 */
public record LbSettings(LoadBalancerMode mode, String clusterName, String stableName, Optional<HostPort> external,
                         int internalPort, Optional<Vip> vip, String haproxyImage) {

    public static final int DEFAULT_INTERNAL_PORT = 6444;
    public static final String DEFAULT_HAPROXY_IMAGE = "docker.io/library/haproxy:2.8.10-alpine";
    public static final String STABLE_SUFFIX = ".kubestead.internal";

    public LbSettings {
        external = external == null ? Optional.empty() : external;
        vip = vip == null ? Optional.empty() : vip;
        if (!Addresses.isDnsName(stableName)) {
            throw new SpecException("stable API name '" + stableName + "' is not a valid DNS name");
        }
        if (internalPort < 1 || internalPort > 65535 || internalPort == Master.API_PORT) {
            throw new SpecException("internal-lb-port=" + internalPort + ": use a free port in 1-65535 other than 6443");
        }
        if (mode == LoadBalancerMode.EXTERNAL && external.isEmpty()) {
            throw new IllegalArgumentException("EXTERNAL mode needs the balancer's address");
        }
        if (mode == LoadBalancerMode.VIP && vip.isEmpty()) {
            throw new IllegalArgumentException("VIP mode needs the virtual IP");
        }
    }

    /**
     * Chooses the mode from the install words. {@code loadBalancerAddress} and {@code vip} may be null;
     * {@code vipInterface}, {@code vipRouterId} and {@code internalPort} may be null for their defaults
     * ({@code vipInterface} is then required only with vip).
     */
    public static LbSettings fromWords(String clusterName, boolean ha, String loadBalancerAddress, String vip,
                                       String vipInterface, Integer vipRouterId, Integer internalPort) {
        String cluster = clusterName == null ? "kubernetes" : clusterName;
        if (!Addresses.isDnsLabel(cluster)) {
            throw new SpecException("cluster name '" + clusterName
                    + "' must be a DNS label (lowercase letters, digits, '-', at most 63) to form the stable API name");
        }
        if (loadBalancerAddress != null && vip != null) {
            throw new SpecException("load-balancer-address and vip exclude each other: pick the balancer you have");
        }
        String stable = "api." + cluster + STABLE_SUFFIX;
        int port = internalPort == null ? DEFAULT_INTERNAL_PORT : internalPort;
        if (loadBalancerAddress != null) {
            HostPort lb = HostPort.parse("load-balancer-address", loadBalancerAddress, Master.API_PORT);
            return new LbSettings(LoadBalancerMode.EXTERNAL, cluster, stable, Optional.of(lb), port, Optional.empty(),
                    DEFAULT_HAPROXY_IMAGE);
        }
        if (vip != null) {
            if (vipInterface == null) {
                throw new SpecException("vip=" + vip + " needs vip-interface=NIC (the masters' interface on that segment)");
            }
            int id = vipRouterId == null ? Vip.routerIdFor(cluster) : vipRouterId;
            return new LbSettings(LoadBalancerMode.VIP, cluster, stable, Optional.empty(), port,
                    Optional.of(new Vip(vip, vipInterface, id)), DEFAULT_HAPROXY_IMAGE);
        }
        LoadBalancerMode mode = ha ? LoadBalancerMode.INTERNAL : LoadBalancerMode.DIRECT;
        return new LbSettings(mode, cluster, stable, Optional.empty(), port, Optional.empty(), DEFAULT_HAPROXY_IMAGE);
    }

    public LbSettings withHaproxyImage(String image) {
        return new LbSettings(mode, clusterName, stableName, external, internalPort, vip, image);
    }

    public LbSettings withInternalPort(int port) {
        return new LbSettings(mode, clusterName, stableName, external, port, vip, haproxyImage);
    }

    /** kubeadm's controlPlaneEndpoint, e.g. {@code api.prod.kubestead.internal:6444}. */
    public String controlPlaneEndpoint() {
        return switch (mode) {
            case INTERNAL -> Addresses.join(stableName, internalPort);
            case EXTERNAL -> external.get().isIp()
                    ? Addresses.join(stableName, external.get().port())
                    : external.get().toString();
            case VIP, DIRECT -> Addresses.join(stableName, Master.API_PORT);
        };
    }

    /** Extra SANs the API server certificates carry besides kubeadm's own (node IP, service IP, kubernetes.*). */
    public List<String> certificateSans() {
        List<String> sans = new ArrayList<>();
        sans.add(stableName);
        external.ifPresent(e -> sans.add(e.host()));
        vip.ifPresent(v -> sans.add(v.address()));
        return List.copyOf(sans);
    }

    /**
     * The managed /etc/hosts entries (name to IP), identical on every node. {@code masters} matters only for DIRECT,
     * where the first one listed is the API. Empty for an external balancer given by DNS name.
     */
    public Map<String, String> hostsEntries(List<Master> masters) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (mode) {
            case INTERNAL -> m.put(stableName, "127.0.0.1");
            case EXTERNAL -> {
                if (external.get().isIp()) {
                    m.put(stableName, external.get().host());
                }
            }
            case VIP -> m.put(stableName, vip.get().address());
            case DIRECT -> {
                if (!masters.isEmpty()) {
                    m.put(stableName, masters.get(0).address());
                }
            }
        }
        return m;
    }

    /** Whether every node runs the local HAProxy (static pod plus bootstrap instance). */
    public boolean runsHaproxy() {
        return mode == LoadBalancerMode.INTERNAL;
    }

    /** For EXTERNAL: what to tell the user to put behind their balancer. Empty otherwise. */
    public Optional<String> balancerTargets(List<Master> masters) {
        if (mode != LoadBalancerMode.EXTERNAL) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("Load balancer " + external.get()
                + " must forward TCP (not HTTP/TLS) to every master, health-checking TCP or HTTPS /readyz on:\n");
        masters.stream().sorted().forEach(m -> sb.append("  ").append(m.endpoint()).append("  (").append(m.name()).append(")\n"));
        return Optional.of(sb.toString());
    }
}
