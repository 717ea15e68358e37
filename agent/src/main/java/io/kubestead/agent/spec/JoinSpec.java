package io.kubestead.agent.spec;

import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a joining node was told by its join script, validated. Secrets are held here but never printed. */
public record JoinSpec(
        boolean controlPlane,
        HostPort endpoint,
        String endpointAddress,
        LoadBalancer.Mode loadBalancer,
        List<String> masters,
        int internalPort,
        String token,
        String caHash,
        String certificateKey,
        KubernetesVersion kubernetesVersion,
        String clusterName,
        String nodeName,
        String privateAddress,
        boolean taintControlPlane,
        boolean airgap,
        int bundleServerPort,
        Set<String> preflightIgnore,
        boolean yes,
        Path dryRunDir,
        BundleTrust bundleTrust) {

    public JoinSpec {
        masters = List.copyOf(masters);
        preflightIgnore = Set.copyOf(preflightIgnore);
    }

    /** How this node reaches the API servers, in the install spec's terms. */
    public LoadBalancer balancer() {
        return switch (loadBalancer) {
            case INTERNAL -> new LoadBalancer(LoadBalancer.Mode.INTERNAL, null, internalPort, null, "join");
            case EXTERNAL -> new LoadBalancer(LoadBalancer.Mode.EXTERNAL, endpointAddress == null ? endpoint
                    : new HostPort(endpointAddress, endpoint.port()), internalPort, null, "join");
            case VIP -> new LoadBalancer(LoadBalancer.Mode.VIP, null, internalPort, endpointAddress, "join");
            case NONE -> new LoadBalancer(LoadBalancer.Mode.NONE, null, internalPort, null, "join");
        };
    }

    /**
     * The masters a node's balancer and hosts entry point at: the given list where a balancer of ours uses it
     * (internal: HAProxy backends; vip: keepalived peers), else the single master's address. Join commands carry
     * {@code masters=} in every mode now (for etcd), but with no balancer of ours the hosts entry must stay on the
     * endpoint address.
     */
    public List<String> masterAddresses() {
        if (!masters.isEmpty() && (loadBalancer == LoadBalancer.Mode.INTERNAL || loadBalancer == LoadBalancer.Mode.VIP)) {
            return masters;
        }
        return endpointAddress == null ? List.of() : List.of(endpointAddress);
    }

    /**
     * etcd client URLs of the existing masters ({@code https://IP:2379}), where a joining master checks etcd
     * before and after its join: the {@code masters=} list, or for a single master without a balancer its
     * address. Empty when the join command names no master (commands from before masters= was always given).
     */
    public List<String> etcdEndpoints() {
        List<String> ips = !masters.isEmpty() ? masters
                : loadBalancer == LoadBalancer.Mode.NONE && endpointAddress != null ? List.of(endpointAddress)
                : loadBalancer == LoadBalancer.Mode.NONE && endpoint.hostIsIp() ? List.of(endpoint.host()) : List.of();
        return ips.stream().map(ip -> "https://" + new HostPort(ip, ETCD_CLIENT_PORT)).toList();
    }

    /** etcd's client port on a kubeadm master (stacked etcd). */
    public static final int ETCD_CLIENT_PORT = 2379;

    /**
     * Where an air-gapped node fetches the bundle from: the masters= list (air-gapped join commands always carry
     * it), else the endpoint's address.
     */
    public List<String> bundleSources() {
        if (!masters.isEmpty()) {
            return masters;
        }
        return endpointAddress != null ? List.of(endpointAddress) : endpoint.hostIsIp() ? List.of(endpoint.host()) : List.of();
    }

    public Optional<Path> dryRun() {
        return Optional.ofNullable(dryRunDir);
    }

    @Override
    public String toString() {
        return "JoinSpec[" + (controlPlane ? "master" : "worker") + " " + nodeName + " -> " + endpoint + "]";
    }
}
