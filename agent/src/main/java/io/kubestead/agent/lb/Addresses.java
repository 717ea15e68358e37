package io.kubestead.agent.lb;

import java.util.regex.Pattern;

/** Name and address helpers for the renderers; IP literal checks are spec's (no DNS lookups). */
final class Addresses {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Addresses() {
    }

    static boolean isIpv6(String s) {
        return s != null && io.kubestead.agent.spec.Addresses.isIpv6(s);
    }

    static boolean isIp(String s) {
        return s != null && io.kubestead.agent.spec.Addresses.isIp(s);
    }

    /** A lowercase RFC 1123 name, as node names and the stable API name are. */
    static boolean isDnsName(String s) {
        if (s == null || s.isEmpty() || s.length() > 253 || s.matches("[0-9.]+")) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** host:port as HAProxy, curl and kubeadm want it: IPv6 in brackets. */
    static String join(String host, int port) {
        return (isIpv6(host) ? "[" + host + "]" : host) + ":" + port;
    }
}
