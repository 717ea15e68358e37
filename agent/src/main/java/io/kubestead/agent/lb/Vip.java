package io.kubestead.agent.lb;

import io.kubestead.agent.spec.SpecException;

import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A virtual IP kept by keepalived among the masters. {@code routerId} is VRRP's virtual_router_id (1-255), which
 * must be unique on the L2 segment; {@code networkInterface} is the masters' NIC on that segment.
 */
public record Vip(String address, String networkInterface, int routerId) {
    private static final Pattern DEV = Pattern.compile(" dev (\\S+)");

    public Vip {
        if (!Addresses.isIp(address)) {
            throw new SpecException("vip=" + address + ": not an IPv4 or IPv6 address");
        }
        if (networkInterface == null || !networkInterface.matches("[A-Za-z0-9_.:@-]{1,15}")) {
            throw new SpecException("vip-interface=" + networkInterface + ": not a network interface name");
        }
        if (routerId < 1 || routerId > 255) {
            throw new SpecException("vip-router-id=" + routerId + ": must be 1-255 and unique on the network segment");
        }
    }

    /** A router id derived from the cluster name, so two Kubestead clusters on one segment rarely collide. */
    public static int routerIdFor(String clusterName) {
        return 1 + (sha256(clusterName)[0] & 0xff) % 255;
    }

    /**
     * The interface through which this host reaches {@code vip} directly (no gateway), from {@code ip -o route get};
     * empty when the VIP is not on one of this host's segments, where VRRP cannot hold it.
     */
    public static Optional<String> detectInterface(Host host, String vip) {
        ExecResult r = host.run("ip", "-o", "route", "get", vip);
        if (!r.ok() || r.stdout().contains(" via ")) {
            return Optional.empty();
        }
        Matcher m = DEV.matcher(r.stdout());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public boolean ipv6() {
        return Addresses.isIpv6(address);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
