package io.kubestead.agent.hostsetup;

import io.kubestead.agent.host.Host;
import java.util.List;
import java.util.stream.Collectors;

/** Kernel modules and sysctls a Kubernetes node needs, as the files that keep them across reboots. */
public final class KernelSettings {
    public static final String MODULES_FILE = "/etc/modules-load.d/kubestead.conf";
    public static final String SYSCTL_FILE = "/etc/sysctl.d/99-kubestead.conf";
    public static final List<String> MODULES = List.of("overlay", "br_netfilter");

    private KernelSettings() {
    }

    /**
     * Whether what the module provides is in the running kernel, loaded or built in. Asks for the function, not the
     * module: a built-in br_netfilter has no /sys/module entry, and where /lib/modules is absent modprobe fails even
     * for what is built in.
     */
    public static boolean inKernel(Host host, String module) {
        return switch (module) {
            case "overlay" -> host.readString("/proc/filesystems")
                    .map(t -> t.lines().anyMatch(l -> List.of(l.strip().split("\\s+")).contains("overlay")))
                    .orElse(false);
            case "br_netfilter" -> host.exists("/proc/sys/net/bridge/bridge-nf-call-iptables");
            default -> host.exists("/sys/module/" + module);
        };
    }

    /** Where the conntrack table size is set; read-only outside the host's first network namespace. */
    public static final String CONNTRACK_MAX = "/proc/sys/net/netfilter/nf_conntrack_max";

    /** Whether this host cannot set the conntrack table size (a container in its own network namespace). */
    public static boolean conntrackReadOnly(Host host) {
        return host.mode(CONNTRACK_MAX).map(m -> (m & 0200) == 0).orElse(false);
    }

    public static String modulesFile() {
        return "# Written by Kubestead: modules the container runtime and pod networking need.\n"
                + String.join("\n", MODULES) + "\n";
    }

    /** Bridged pod traffic must pass iptables (kube-proxy, network policy); nodes route pod traffic. */
    public static String sysctlFile(boolean ipv6) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "net.bridge.bridge-nf-call-iptables = 1",
                "net.bridge.bridge-nf-call-ip6tables = 1",
                "net.ipv4.ip_forward = 1"));
        if (ipv6) {
            lines.add("net.ipv6.conf.all.forwarding = 1");
        }
        return "# Written by Kubestead: settings the kubelet, kube-proxy and the CNI expect.\n"
                + lines.stream().collect(Collectors.joining("\n")) + "\n";
    }

    /** /etc/fstab with every active swap line commented out, so swap stays off after a reboot. */
    public static String withoutSwap(String fstab) {
        StringBuilder out = new StringBuilder();
        for (String line : fstab.split("\n", -1)) {
            String[] f = line.strip().split("\\s+");
            boolean swap = !line.strip().startsWith("#") && f.length >= 3 && f[2].equals("swap");
            out.append(swap ? "# disabled by Kubestead (the kubelet needs swap off): " + line : line).append('\n');
        }
        String s = out.toString();
        return s.substring(0, s.length() - 1);
    }
}
