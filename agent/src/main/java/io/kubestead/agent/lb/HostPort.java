package io.kubestead.agent.lb;

import io.kubestead.agent.spec.SpecException;

/** A host (IP or DNS name) and port, parsed from words like {@code 10.0.0.10:6443}, {@code lb.corp} or {@code [fd00::10]:443}. */
public record HostPort(String host, int port) {

    public HostPort {
        if (!Addresses.isIp(host) && !Addresses.isDnsName(host)) {
            throw new SpecException("'" + host + "' is neither an IP address nor a DNS name");
        }
        if (port < 1 || port > 65535) {
            throw new SpecException("port " + port + " of " + host + " is outside 1-65535");
        }
    }

    /** Parses {@code host[:port]}; {@code word} names the install word in error messages. */
    public static HostPort parse(String word, String value, int defaultPort) {
        String v = value == null ? "" : value.trim();
        String host;
        String port = null;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                throw new SpecException(word + "=" + value + ": missing ']' after the IPv6 address");
            }
            host = v.substring(1, close);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new SpecException(word + "=" + value + ": expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (v.indexOf(':') != v.lastIndexOf(':')) {
            host = v; // a bare IPv6 address, no port
        } else {
            int colon = v.indexOf(':');
            host = colon < 0 ? v : v.substring(0, colon);
            port = colon < 0 ? null : v.substring(colon + 1);
        }
        host = host.toLowerCase(java.util.Locale.ROOT);
        if (!Addresses.isIp(host) && !Addresses.isDnsName(host)) {
            throw new SpecException(word + "=" + value + ": '" + host
                    + "' is neither an IP address nor a DNS name; use HOST:PORT, e.g. 10.0.0.10:6443");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new SpecException(word + "=" + value + ": port '" + port + "' is not a number in 1-65535");
            }
        }
        return new HostPort(host, p);
    }

    public boolean isIp() {
        return Addresses.isIp(host);
    }

    @Override
    public String toString() {
        return Addresses.join(host, port);
    }
}
