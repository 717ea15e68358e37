package io.kubestead.agent.spec;

import java.util.regex.Pattern;

/**
 * A host and port such as {@code lb.example.com:6443}, {@code 10.0.0.10} or {@code [fd00::10]:6443}. The host is
 * a DNS name (RFC 1123) or an IP address; IPv6 addresses are written in brackets when a port follows.
 */
public record HostPort(String host, int port) {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public HostPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }

    /** Parses {@code host[:port]}; {@code defaultPort} applies when no port is given. */
    public static HostPort parse(String text, int defaultPort) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the address is empty");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(Shown.quoted(s) + " opens '[' without closing it");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':PORT' after ']' in " + Shown.quoted(s));
                }
                port = rest.substring(1);
            }
            if (!Addresses.isIpv6(host)) {
                throw new IllegalArgumentException(Shown.quoted(host) + " in brackets is not an IPv6 address");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("write an IPv6 address in brackets, e.g. [" + s + "]:6443");
            }
            host = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
            port = colon < 0 ? null : s.substring(colon + 1);
            if (!Addresses.isIpv4(host) && !isDnsName(host)) {
                throw new IllegalArgumentException(Shown.quoted(host) + " is neither an IP address nor a DNS name"
                        + " (letters, digits, '-' and '.', labels up to 63 characters)");
            }
        }
        int p = defaultPort;
        if (port != null) {
            if (!port.matches("\\d{1,5}")) {
                throw new IllegalArgumentException("port " + Shown.quoted(port) + " is not a number");
            }
            p = Integer.parseInt(port);
        }
        return new HostPort(host, p);
    }

    /**
     * The one DNS name check: a lowercase RFC 1123 subdomain (labels of letters, digits and '-', up to 63 characters,
     * 253 in all), as Kubernetes wants node names and as the stable API name, balancer names and certificate names
     * are written. Lowercase the text first where case does not matter.
     */
    public static boolean isDnsName(String s) {
        if (s == null || s.isEmpty() || s.length() > 253 || s.endsWith(".")) {
            return false;
        }
        if (s.matches("[0-9.]+")) {
            return false; // looks like a broken IPv4 address, not a name
        }
        for (String label : s.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    public boolean hostIsIp() {
        return Addresses.isIpv4(host) || Addresses.isIpv6(host);
    }

    /** {@code host:port}, with IPv6 hosts in brackets. */
    @Override
    public String toString() {
        return (Addresses.isIpv6(host) ? "[" + host + "]" : host) + ":" + port;
    }
}
