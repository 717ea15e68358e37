package io.kubestead.agent.spec;

import java.math.BigInteger;

/** An IPv4 or IPv6 network such as {@code 10.96.0.0/12}, normalised to its network address. */
public record Cidr(String network, int prefix, boolean ipv6) {

    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(Shown.quoted(s) + " has no prefix length, e.g. 10.96.0.0/12");
        }
        String ip = s.substring(0, slash);
        String len = s.substring(slash + 1);
        boolean v6 = Addresses.isIpv6(ip);
        if (!v6 && !Addresses.isIpv4(ip)) {
            throw new IllegalArgumentException(Shown.quoted(ip) + " is not an IP address");
        }
        int max = v6 ? 128 : 32;
        if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > max) {
            throw new IllegalArgumentException("prefix length " + Shown.quoted(len) + " must be 0-" + max);
        }
        int prefix = Integer.parseInt(len);
        BigInteger n = Addresses.toNumber(ip);
        if (!n.equals(n.and(mask(prefix, max)))) {
            throw new IllegalArgumentException(Shown.quoted(s) + " has host bits set; the network is "
                    + Addresses.fromNumber(n.and(mask(prefix, max)), v6) + "/" + prefix);
        }
        return new Cidr(Addresses.fromNumber(n, v6), prefix, v6);
    }

    static BigInteger mask(int prefix, int max) {
        BigInteger all = BigInteger.ONE.shiftLeft(max).subtract(BigInteger.ONE);
        BigInteger host = BigInteger.ONE.shiftLeft(max - prefix).subtract(BigInteger.ONE);
        return all.xor(host);
    }

    private BigInteger first() {
        return Addresses.toNumber(network);
    }

    private BigInteger last() {
        int max = ipv6 ? 128 : 32;
        return first().add(BigInteger.ONE.shiftLeft(max - prefix)).subtract(BigInteger.ONE);
    }

    public boolean overlaps(Cidr other) {
        if (ipv6 != other.ipv6) {
            return false;
        }
        return first().compareTo(other.last()) <= 0 && other.first().compareTo(last()) <= 0;
    }

    public boolean contains(String ip) {
        if (Addresses.isIpv6(ip) != ipv6) {
            return false;
        }
        BigInteger n = Addresses.toNumber(ip);
        return n.compareTo(first()) >= 0 && n.compareTo(last()) <= 0;
    }

    /** The network's first host address: the API server's service IP when this is the service CIDR. */
    public String firstHost() {
        return Addresses.fromNumber(first().add(BigInteger.ONE), ipv6);
    }

    /** The n-th host address (1 = first host): CoreDNS takes the tenth of the service CIDR. */
    public String host(int n) {
        return Addresses.fromNumber(first().add(BigInteger.valueOf(n)), ipv6);
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
