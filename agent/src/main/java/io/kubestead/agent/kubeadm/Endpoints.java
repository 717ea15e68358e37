package io.kubestead.agent.kubeadm;

import java.util.regex.Pattern;

/** Small parsers for {@code host[:port]} endpoints, IP literals and DNS names as kubeadm reads them. */
public final class Endpoints {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Endpoints() {
    }

    public static boolean isIp(String s) {
        if (s == null) {
            return false;
        }
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (!IPV6.matcher(s).matches()) {
            return false;
        }
        try {
            // only literals reach here (the pattern excludes names), so no DNS lookup happens
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** RFC 1123 subdomain, as Kubernetes validates names: lowercase labels joined by dots, at most 253. */
    public static boolean isDnsSubdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (label.length() > 63 || !DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The host of {@code host:port}, {@code [v6]:port}, {@code host} or a bare IPv6 literal. */
    public static String host(String endpoint) {
        if (endpoint.startsWith("[")) {
            int end = endpoint.indexOf(']');
            return end < 0 ? endpoint : endpoint.substring(1, end);
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0 || endpoint.indexOf(':') != colon) {
            return endpoint; // no port, or a bare IPv6 literal
        }
        return endpoint.substring(0, colon);
    }

    /** The port of an endpoint, or -1 if it has none. */
    public static int port(String endpoint) {
        String host = host(endpoint);
        String rest = endpoint.startsWith("[") ? endpoint.substring(host.length() + 2) : endpoint.substring(host.length());
        if (rest.isEmpty()) {
            return -1;
        }
        if (!rest.matches(":\\d{1,5}")) {
            return -2;
        }
        int port = Integer.parseInt(rest.substring(1));
        return port >= 1 && port <= 65535 ? port : -2;
    }

    /** A usable {@code host[:port]}: host an IP or DNS name, port (if any) 1-65535. */
    public static boolean isEndpoint(String endpoint) {
        if (endpoint == null || endpoint.isEmpty() || endpoint.contains("/")) {
            return false;
        }
        String host = host(endpoint);
        return (isIp(host) || isDnsSubdomain(host)) && port(endpoint) != -2;
    }

    /** A CIDR such as 10.96.0.0/12 or fd00::/108 (a comma-separated pair for dual-stack). */
    public static boolean isCidrList(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (String cidr : s.split(",", -1)) {
            int slash = cidr.indexOf('/');
            if (slash < 0 || !isIp(cidr.substring(0, slash)) || !cidr.substring(slash + 1).matches("\\d{1,3}")) {
                return false;
            }
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (bits > (cidr.contains(":") ? 128 : 32)) {
                return false;
            }
        }
        return true;
    }
}
