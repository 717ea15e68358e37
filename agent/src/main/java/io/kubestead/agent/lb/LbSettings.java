package io.kubestead.agent.lb;

import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.LoadBalancer;
import io.kubestead.agent.spec.SpecException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster-wide load-balancing choices, the same on every node.
 *
 * <p>Endpoint decision: clients always use the stable name {@code api.<cluster>.kubestead.internal},
 * which each node resolves through the managed block in /etc/hosts (127.0.0.1 for INTERNAL, the VIP, the external
 * balancer's IP, or the single master for NONE). A new master or balancer IP is then only a hosts-file and backend
 * change; a switch of balancer adds, when the port differs, the port in kubeconfigs; neither needs new certificates.
 * The one exception: an external balancer given by DNS name is used as
 * is in controlPlaneEndpoint, because /etc/hosts cannot alias a name to a name and DNS already gives the indirection.
 */
public record LbSettings(LoadBalancer balancer, String clusterName, String stableName, Optional<Vip> vip,
                         String haproxyImage) {

    public static final int DEFAULT_INTERNAL_PORT = 6444;
    public static final String DEFAULT_HAPROXY_IMAGE = "docker.io/library/haproxy:2.8.14-alpine";

    public LbSettings {
        vip = vip == null ? Optional.empty() : vip;
        if (!HostPort.isDnsName(stableName)) {
            throw new SpecException("stable API name '" + stableName + "' is not a valid DNS name");
        }
        int internalPort = balancer.internalPort();
        if (internalPort < 1 || internalPort > 65535 || internalPort == Master.API_PORT) {
            throw new SpecException("internal-load-balancer-port=" + internalPort
                    + ": use a free port in 1-65535 other than 6443");
        }
        if (balancer.mode() == LoadBalancer.Mode.EXTERNAL && balancer.externalAddress().isEmpty()) {
            throw new IllegalArgumentException("EXTERNAL mode needs the balancer's address");
        }
        if (balancer.mode() == LoadBalancer.Mode.VIP && vip.isEmpty()) {
            throw new IllegalArgumentException("VIP mode needs the virtual IP");
        }
    }

    public LoadBalancer.Mode mode() {
        return balancer.mode();
    }

    public Optional<HostPort> external() {
        return balancer.externalAddress();
    }

    public int internalPort() {
        return balancer.internalPort();
    }

    /**
     * From the parsed words' choice. {@code apiName} is the stable name (InstallSpec.apiName(), by default
     * {@code api.<cluster>.kubestead.internal}); {@code vipInterface} is needed for VIP only (see
     * {@link Vip#detectInterface}); {@code vipRouterId} may be null for one derived from the cluster name.
     */
    public static LbSettings of(LoadBalancer lb, String clusterName, String apiName, String vipInterface,
                                Integer vipRouterId) {
        if (!HostPort.isDnsName(clusterName)) {
            throw new SpecException("cluster name '" + clusterName + "' must be lowercase letters, digits and '-'");
        }
        Optional<Vip> vip = Optional.empty();
        if (lb.mode() == LoadBalancer.Mode.VIP) {
            if (vipInterface == null) {
                throw new SpecException("vip=" + lb.vip() + ": no network interface on this host reaches it;"
                        + " the VIP must be in a subnet of one of the masters' interfaces");
            }
            vip = Optional.of(new Vip(lb.vip(), vipInterface,
                    vipRouterId == null ? Vip.routerIdFor(clusterName) : vipRouterId));
        }
        return new LbSettings(lb, clusterName, apiName.toLowerCase(java.util.Locale.ROOT), vip, DEFAULT_HAPROXY_IMAGE);
    }

    /** For the install plan; {@code vipInterface} is ignored unless vip= was given. */
    public static LbSettings forInstall(InstallSpec spec, Optional<String> vipInterface) {
        return of(spec.loadBalancer(), spec.clusterName(), spec.apiName(), vipInterface.orElse(null), null);
    }

    public LbSettings withHaproxyImage(String image) {
        return new LbSettings(balancer, clusterName, stableName, vip, image);
    }

    public LbSettings withInternalPort(int port) {
        return new LbSettings(new LoadBalancer(balancer.mode(), balancer.external(), port, balancer.vip(), balancer.source()),
                clusterName, stableName, vip, haproxyImage);
    }

    /** kubeadm's controlPlaneEndpoint, e.g. {@code api.prod.kubestead.internal:6444}, as the spec decides it. */
    public String controlPlaneEndpoint() {
        return balancer.controlPlaneEndpoint(stableName).toString();
    }

    /** Extra SANs the API server certificates carry besides kubeadm's own, as the spec decides them. */
    public List<String> certificateSans() {
        return balancer.certificateSans(stableName);
    }

    /**
     * The managed /etc/hosts entries (name to IP), identical on every node. {@code masters} matters only for NONE,
     * where the first one listed is the API. Empty for an external balancer given by DNS name.
     */
    public Map<String, String> hostsEntries(List<Master> masters) {
        Map<String, String> m = new LinkedHashMap<>();
        balancer.apiNameTarget(masters.isEmpty() ? null : masters.get(0).address())
                .ifPresent(ip -> m.put(stableName, ip));
        return m;
    }

    /** Whether every node runs the local HAProxy (static pod plus bootstrap instance). */
    public boolean runsHaproxy() {
        return mode() == LoadBalancer.Mode.INTERNAL;
    }

    /** For EXTERNAL: what to tell the user to put behind their balancer. Empty otherwise. */
    public Optional<String> balancerTargets(List<Master> masters) {
        if (mode() != LoadBalancer.Mode.EXTERNAL) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("Load balancer " + balancer.external()
                + " must forward TCP (not HTTP/TLS) to every master, health-checking TCP or HTTPS /readyz on:\n");
        masters.stream().sorted().forEach(m -> sb.append("  ").append(m.endpoint()).append("  (").append(m.name()).append(")\n"));
        return Optional.of(sb.toString());
    }
}
