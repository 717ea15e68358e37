package io.kubestead.agent.ssh;

import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import java.util.regex.Pattern;

/** Where to log in: a user on a host (an IP address or a DNS name) and an SSH port. */
public record SshTarget(String user, String host, int port) {
    public static final int DEFAULT_PORT = 22;
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern NAME = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public SshTarget {
        if (!USER.matcher(user).matches()) {
            throw new SpecException("SSH user " + Shown.quoted(user) + " is not a user name (lower-case letters, digits, '_', '.', '-')");
        }
        if (!validHost(host)) {
            throw new SpecException("host " + Shown.quoted(host) + " is neither an IP address nor a DNS name");
        }
        if (port < 1 || port > 65535) {
            throw new SpecException("SSH port " + port + " of " + host + " is not between 1 and 65535");
        }
    }

    /**
     * {@code [USER@]HOST[:PORT]}, an IPv6 address in brackets ({@code [fd00::5]:2222}); without a user,
     * {@code defaultUser}.
     */
    public static SshTarget parse(String given, String defaultUser) {
        String rest = given;
        String user = defaultUser;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String host = rest;
        int port = DEFAULT_PORT;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new SpecException("host " + Shown.quoted(given) + ": no ']' after the IPv6 address");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                port = port(given, after.startsWith(":") ? after.substring(1) : after);
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            host = rest.substring(0, rest.indexOf(':'));
            port = port(given, rest.substring(rest.indexOf(':') + 1));
        }
        return new SshTarget(user, host, port);
    }

    private static int port(String given, String s) {
        if (!s.matches("\\d{1,5}")) {
            throw new SpecException("host " + Shown.quoted(given) + ": the port after ':' must be a number");
        }
        return Integer.parseInt(s);
    }

    private static boolean validHost(String h) {
        if (IPV4.matcher(h).matches()) {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (h.contains(":")) {
            return h.matches("[0-9A-Fa-f:.]{2,45}");
        }
        return NAME.matcher(h).matches() && !h.matches("[0-9.]+");
    }

    /** The name known_hosts files use: the host, or {@code [host]:port} off port 22 (as OpenSSH writes it). */
    public String knownHostsName() {
        return port == DEFAULT_PORT ? host : "[" + host + "]:" + port;
    }

    /** host, or host:port off port 22: how output names this host. */
    public String label() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port == DEFAULT_PORT ? h : h + ":" + port;
    }

    @Override
    public String toString() {
        return user + "@" + label();
    }
}
