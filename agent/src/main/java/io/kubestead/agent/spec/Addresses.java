package io.kubestead.agent.spec;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict IP literal checks: no DNS lookups, no leading-zero or short forms of IPv4. */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private Addresses() {
    }

    public static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    public static boolean isIpv6(String s) {
        if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /**
     * Why {@code ip} (an IP literal) cannot be a node's address or a VIP other hosts reach: loopback, unspecified,
     * multicast, link-local or the IPv4 broadcast address; empty when it can be.
     */
    public static Optional<String> nodeAddressProblem(String ip) {
        InetAddress a = literal(ip);
        if (a.isAnyLocalAddress()) {
            return Optional.of("is the unspecified address");
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("is a loopback address");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("is a multicast address");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("is a link-local address");
        }
        if (ip.equals("255.255.255.255")) {
            return Optional.of("is the broadcast address");
        }
        return Optional.empty();
    }

    /**
     * Why {@code vip} cannot be a virtual IP of this host: it is one of {@code own} (addresses of this host, each
     * optionally with its prefix length, {@code 10.0.0.5/24}), or the network or broadcast address of one of their
     * subnets; empty when it can be.
     */
    public static Optional<String> vipProblem(String vip, List<String> own) {
        boolean v6 = isIpv6(vip);
        BigInteger v = toNumber(vip);
        for (String entry : own) {
            int slash = entry.indexOf('/');
            String ip = slash < 0 ? entry : entry.substring(0, slash);
            if (isIp(ip) && isIpv6(ip) == v6 && toNumber(ip).equals(v)) {
                return Optional.of("is this host's own address");
            }
        }
        int max = v6 ? 128 : 32;
        for (String entry : own) {
            int slash = entry.indexOf('/');
            if (slash < 0 || !isIp(entry.substring(0, slash)) || isIpv6(entry.substring(0, slash)) != v6
                    || !entry.substring(slash + 1).matches("\\d{1,3}")) {
                continue;
            }
            int prefix = Integer.parseInt(entry.substring(slash + 1));
            if (prefix >= max - 1) {
                continue; // /31, /32 (and /127, /128) have no network or broadcast address to avoid
            }
            BigInteger mask = Cidr.mask(prefix, max);
            BigInteger network = toNumber(entry.substring(0, slash)).and(mask);
            if (!v.and(mask).equals(network)) {
                continue;
            }
            String subnet = fromNumber(network, v6) + "/" + prefix;
            if (v.equals(network)) {
                return Optional.of("is the network address of this host's subnet " + subnet);
            }
            if (!v6 && v.equals(network.or(BigInteger.ONE.shiftLeft(max - prefix).subtract(BigInteger.ONE)))) {
                return Optional.of("is the broadcast address of this host's subnet " + subnet);
            }
        }
        return Optional.empty();
    }

    private static InetAddress literal(String ip) {
        if (!isIp(ip)) {
            throw new IllegalArgumentException("not an IP address: " + Shown.quoted(ip));
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + Shown.quoted(ip), e);
        }
    }

    /** The address as an unsigned number, for CIDR arithmetic. */
    static BigInteger toNumber(String ip) {
        try {
            return new BigInteger(1, InetAddress.getByName(ip).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    static String fromNumber(BigInteger n, boolean v6) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[v6 ? 16 : 4];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            String s = InetAddress.getByAddress(out).getHostAddress();
            return v6 ? compressIpv6(s) : s;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints {@code fd00:0:0:0:0:0:0:1}; people and Kubernetes write {@code fd00::1}. */
    static String compressIpv6(String full) {
        String[] parts = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return head + "::" + tail;
    }
}
