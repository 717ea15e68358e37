package io.kubestead.agent.preflight;

import io.kubestead.agent.host.Host;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Reads the kernel's view of the host from /proc through the host, so tests can hand in their own. */
final class ProcFiles {
    private ProcFiles() {
    }

    /** A value from /proc/meminfo in kB. */
    static Optional<Long> meminfoKb(Host host, String key) {
        return host.readString("/proc/meminfo").flatMap(text -> text.lines()
                .filter(l -> l.startsWith(key + ":"))
                .map(l -> l.substring(key.length() + 1).strip().split("\\s+")[0])
                .map(Long::parseLong)
                .findFirst());
    }

    /** TCP ports in LISTEN state, IPv4 and IPv6. */
    static Set<Integer> listeningPorts(Host host) {
        Set<Integer> ports = new HashSet<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            host.readString(file).ifPresent(text -> text.lines().skip(1).forEach(line -> {
                String[] f = line.strip().split("\\s+");
                // local_address is ADDR:PORT in hex; state 0A is LISTEN
                if (f.length > 3 && f[3].equals("0A")) {
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }));
        }
        return ports;
    }

    /** Names of loaded kernel modules. */
    static Set<String> loadedModules(Host host) {
        Set<String> names = new HashSet<>();
        host.readString("/proc/modules").ifPresent(t -> t.lines().forEach(l -> names.add(l.split("\\s+")[0])));
        return names;
    }

    static int activeSwapDevices(Host host) {
        return host.readString("/proc/swaps").map(t -> (int) t.lines().skip(1).filter(l -> !l.isBlank()).count()).orElse(0);
    }
}
