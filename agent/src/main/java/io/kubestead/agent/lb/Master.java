package io.kubestead.agent.lb;

import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.SpecException;

/**
 * A control-plane node as the balancers see it: its node name, its IP (v4 or v6, no DNS so a resolver outage cannot
 * take the API down) and its API server port (6443 unless a test or an unusual setup says otherwise).
 */
public record Master(String name, String address, int apiPort) implements Comparable<Master> {
    public static final int API_PORT = 6443;

    public Master {
        if (!HostPort.isDnsName(name)) {
            throw new SpecException("master name '" + name + "' is not a valid node name (lowercase RFC 1123)");
        }
        if (!Addresses.isIp(address)) {
            throw new SpecException("master '" + name + "' address '" + address + "' is not an IPv4 or IPv6 address");
        }
        if (apiPort < 1 || apiPort > 65535) {
            throw new SpecException("master '" + name + "' API port " + apiPort + " is outside 1-65535");
        }
    }

    public Master(String name, String address) {
        this(name, address, API_PORT);
    }

    /**
     * A master known only by its IP, as a join script lists them: named {@code master-10-0-0-1} until the
     * reconciler learns the node names.
     */
    public static Master fromAddress(String address) {
        if (!Addresses.isIp(address)) {
            throw new SpecException("master address '" + address + "' is not an IPv4 or IPv6 address");
        }
        String name = "master-" + address.toLowerCase(java.util.Locale.ROOT).replaceAll("[^0-9a-f]+", "-")
                .replaceAll("^-|-$", "");
        return new Master(name, address);
    }

    /** {@code 10.0.0.1:6443} or {@code [fd00::1]:6443}. */
    public String endpoint() {
        return new HostPort(address, apiPort).toString();
    }

    public boolean ipv6() {
        return Addresses.isIpv6(address);
    }

    @Override
    public int compareTo(Master o) {
        return name.compareTo(o.name);
    }
}
