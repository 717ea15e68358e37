package io.kubestead.agent.pki;

import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.SpecException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A certificate's DNS and IP subject alternative names, as kubeadm orders them: DNS names de-duplicated and sorted,
 * IP addresses de-duplicated in the order given.
 */
public record SubjectAltNames(List<String> dns, List<InetAddress> ips) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    public static final SubjectAltNames NONE = new SubjectAltNames(List.of(), List.of());

    public SubjectAltNames {
        dns = List.copyOf(new TreeSet<>(dns));
        ips = List.copyOf(new LinkedHashSet<>(ips));
    }

    public boolean isEmpty() {
        return dns.isEmpty() && ips.isEmpty();
    }

    /** Builds names from strings, each an IP literal or a DNS name (kubeadm's rule for certSANs). */
    public static SubjectAltNames of(List<String> names, String what) {
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        for (String n : names) {
            InetAddress ip = ipOrNull(n);
            if (ip != null) {
                ips.add(ip);
            } else if (isDnsName(n)) {
                dns.add(n.toLowerCase(Locale.ROOT));
            } else {
                throw new SpecException(what + " '" + n + "' is neither an IP address nor a DNS name");
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    public SubjectAltNames plus(SubjectAltNames more) {
        List<String> d = new ArrayList<>(dns);
        d.addAll(more.dns);
        List<InetAddress> i = new ArrayList<>(ips);
        i.addAll(more.ips);
        return new SubjectAltNames(d, i);
    }

    /** The names of {@code required} this set does not cover (wildcards cover one label, as in TLS). */
    public List<String> missing(SubjectAltNames required) {
        List<String> out = new ArrayList<>();
        for (String d : required.dns) {
            if (dns.stream().noneMatch(have -> covers(have, d))) {
                out.add(d);
            }
        }
        for (InetAddress ip : required.ips) {
            if (!ips.contains(ip)) {
                out.add(ip.getHostAddress());
            }
        }
        return out;
    }

    private static boolean covers(String have, String want) {
        if (have.equalsIgnoreCase(want)) {
            return true;
        }
        int dot = want.indexOf('.');
        return have.startsWith("*.") && dot > 0 && have.substring(1).equalsIgnoreCase(want.substring(dot));
    }

    /** An IP literal parsed without any name lookup, or null. */
    public static InetAddress ipOrNull(String s) {
        if (!IPV4.matcher(s).matches() && !(s.contains(":") && s.matches("[0-9a-fA-F:.]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A DNS name by spec's rule, in any case, or a wildcard over one ({@code *.apps.example}). */
    public static boolean isDnsName(String s) {
        String name = s.toLowerCase(Locale.ROOT);
        return HostPort.isDnsName(name.startsWith("*.") ? name.substring(2) : name);
    }
}
