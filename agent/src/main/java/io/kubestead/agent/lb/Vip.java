package io.kubestead.agent.lb;

import io.kubestead.agent.spec.SpecException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A virtual IP kept by keepalived among the masters. {@code routerId} is VRRP's virtual_router_id (1-255), which
 * must be unique on the L2 segment; {@code networkInterface} is the masters' NIC on that segment.
 */
public record Vip(String address, String networkInterface, int routerId) {

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
