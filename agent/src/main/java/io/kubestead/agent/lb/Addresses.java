package io.kubestead.agent.lb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP literal and DNS name checks without any DNS lookup. */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Addresses() {
    }

    static boolean isIpv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    /** An IPv6 literal, without brackets; InetAddress parses literals containing ':' without DNS. */
    static boolean isIpv6(String s) {
        if (s == null || !s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** An RFC 1123 host name: dot-separated lowercase labels, at most 253 characters. */
    static boolean isDnsName(String s) {
        if (s == null || s.isEmpty() || s.length() > 253 || isIpv4(s)) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isDnsLabel(String s) {
        return s != null && LABEL.matcher(s).matches();
    }

    /** host:port as HAProxy, curl and kubeadm want it: IPv6 in brackets. */
    static String join(String host, int port) {
        return (isIpv6(host) ? "[" + host + "]" : host) + ":" + port;
    }
}
