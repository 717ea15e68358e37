package io.kubestead.agent.host;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Read-only facts about the local machine that choose defaults: its host name and primary address. Reading them
 * changes nothing, so a dry-run reads them from the real machine too.
 */
public record HostFacts(String hostName, String primaryAddress, String packageManager, List<String> localAddresses) {

    /** {@code localAddresses}: every address of this host with its prefix length, {@code 10.0.0.5/24}. */
    public HostFacts {
        localAddresses = List.copyOf(localAddresses);
    }

    public HostFacts(String hostName, String primaryAddress, String packageManager) {
        this(hostName, primaryAddress, packageManager, List.of());
    }

    public HostFacts(String hostName, String primaryAddress) {
        this(hostName, primaryAddress, null);
    }

    public static HostFacts detect() {
        return new HostFacts(detectHostName(), detectPrimaryAddress().orElse(null), detectPackageManager(),
                detectLocalAddresses());
    }

    /** The addresses of every interface, with prefix lengths; none when the interfaces cannot be listed. */
    static List<String> detectLocalAddresses() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(ni -> ni.getInterfaceAddresses().stream())
                    .map(a -> a.getAddress().getHostAddress().replaceFirst("%.*$", "") + "/" + a.getNetworkPrefixLength())
                    .toList();
        } catch (SocketException e) {
            return List.of();
        }
    }

    /** apt, dnf or yum: which package manager the machine has, by the program's presence. */
    private static String detectPackageManager() {
        for (String pm : new String[] {"apt-get", "dnf", "yum"}) {
            if (Files.isExecutable(Path.of("/usr/bin", pm))) {
                return pm.equals("apt-get") ? "apt" : pm;
            }
        }
        return null;
    }

    private static String detectHostName() {
        try {
            String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!n.isEmpty()) {
                return n;
            }
        } catch (IOException ignored) {
            // not Linux, or /proc not mounted: fall back to the JDK's idea
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The first IPv4 address of the interface holding the default route, else of any interface that is up. */
    static Optional<String> detectPrimaryAddress() {
        Optional<String> routeIf = defaultRouteInterface();
        try {
            List<NetworkInterface> all = Collections.list(NetworkInterface.getNetworkInterfaces());
            if (routeIf.isPresent()) {
                NetworkInterface ni = NetworkInterface.getByName(routeIf.get());
                Optional<String> a = ni == null ? Optional.empty() : firstAddress(ni);
                if (a.isPresent()) {
                    return a;
                }
            }
            for (NetworkInterface ni : all) {
                if (ni.isUp() && !ni.isLoopback()) {
                    Optional<String> a = firstAddress(ni);
                    if (a.isPresent()) {
                        return a;
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> firstAddress(NetworkInterface ni) {
        Optional<String> v4 = ni.inetAddresses().filter(a -> a instanceof Inet4Address)
                .map(InetAddress::getHostAddress).findFirst();
        if (v4.isPresent()) {
            return v4;
        }
        return ni.inetAddresses().filter(a -> a instanceof Inet6Address && !a.isLinkLocalAddress())
                .map(a -> a.getHostAddress().replaceFirst("%.*$", "")).findFirst();
    }

    private static Optional<String> defaultRouteInterface() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals("00000000") && !f[0].equals("Iface")) {
                    return Optional.of(f[0]);
                }
            }
        } catch (IOException ignored) {
            // no routing table to read: choose among the interfaces instead
        }
        return Optional.empty();
    }
}
