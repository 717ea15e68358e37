package io.kubestead.agent.preflight;

import io.kubestead.agent.hostsetup.KernelSettings;

import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.NodePorts;
import io.kubestead.agent.version.KubernetesVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The built-in checks, for a role. Each is small and says how to fix what it finds. */
public final class Checks {
    static final long GIB_KB = 1024L * 1024;
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** The check {@code preflight-ignore=} names to keep a cgroup v1 host knowingly (see {@link #cgroups}). */
    public static final String CGROUPS = io.kubestead.agent.spec.InstallWords.CGROUPS_CHECK;

    private Checks() {
    }

    /** Every check for the role, in the order they run. */
    public static List<Check> forRole(Role role, String nodeName, KubernetesVersion version) {
        return forRole(role, nodeName, version, Optional.empty());
    }

    /** Every check for the role, and with a balancer of the user's, the checks of its address. */
    public static List<Check> forRole(Role role, String nodeName, KubernetesVersion version,
                                      Optional<HostPort> externalBalancer) {
        List<Check> checks = new ArrayList<>();
        checks.add(check("root", "runs as root", Checks::root));
        checks.add(check("arch", "64-bit Linux", Checks::arch));
        checks.add(check("cpu", "at least 2 CPUs", Checks::cpu));
        checks.add(check("memory", "at least 2 GiB of memory", Checks::memory));
        checks.add(check("disk", "free disk space under /var/lib", Checks::disk));
        checks.add(check("swap", "swap is off or can be turned off", Checks::swap));
        List<Integer> ports = role == Role.MASTER ? NodePorts.MASTER : NodePorts.WORKER;
        checks.add(check("ports", "ports " + ports + " are free", h -> ports(h, ports)));
        checks.add(check("node-name", "the node name is valid", h -> nodeName(nodeName)));
        checks.add(check("time-sync", "the clock is synchronised", Checks::timeSync));
        checks.add(check("kernel-modules", "overlay and br_netfilter are available", Checks::kernelModules));
        checks.add(check(CGROUPS, "the host runs cgroup v2", h -> cgroups(h, version)));
        checks.add(check("earlier-install", "no other Kubernetes install is on this host", Checks::earlierInstall));
        externalBalancer.ifPresent(lb -> checks.add(check("load-balancer", "the load balancer " + lb
                + " resolves and answers", h -> loadBalancer(h, lb))));
        return checks;
    }

    private static Check check(String name, String description, Function<Host, CheckResult> body) {
        return new Check() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public CheckResult run(Host host) {
                return body.apply(host);
            }
        };
    }

    static CheckResult root(Host host) {
        ExecResult r = host.run("id", "-u");
        return r.ok() && r.stdout().strip().equals("0") ? CheckResult.pass("running as root")
                : CheckResult.fail("not running as root; run with sudo");
    }

    static CheckResult arch(Host host) {
        ExecResult r = host.run("uname", "-sm");
        String[] f = r.stdout().strip().split("\\s+");
        if (!r.ok() || f.length < 2) {
            return CheckResult.fail("cannot tell the operating system ('uname -sm' failed)");
        }
        if (!f[0].equals("Linux")) {
            return CheckResult.fail(f[0] + " is not Linux; Kubernetes nodes run Linux");
        }
        return Set.of("x86_64", "aarch64", "ppc64le", "s390x").contains(f[1]) ? CheckResult.pass(f[1])
                : CheckResult.fail(f[1] + " is not a 64-bit architecture Kubernetes ships for (x86_64, aarch64, ppc64le, s390x)");
    }

    static CheckResult cpu(Host host) {
        ExecResult r = host.run("nproc");
        if (!r.ok()) {
            return CheckResult.warn("cannot count CPUs ('nproc' failed)");
        }
        int n = Integer.parseInt(r.stdout().strip());
        return n >= 2 ? CheckResult.pass(n + " CPUs")
                : CheckResult.fail(n + " CPU; Kubernetes needs at least 2: give the machine another CPU");
    }

    static CheckResult memory(Host host) {
        long kb = ProcFiles.meminfoKb(host, "MemTotal").orElse(-1L);
        if (kb < 0) {
            return CheckResult.warn("cannot read /proc/meminfo");
        }
        String gib = String.format("%.1f GiB", kb / (double) GIB_KB);
        // a "2 GiB" machine reports a little less after the kernel's share, so the floor is kubeadm's 1700 MiB
        if (kb < 1700L * 1024) {
            return CheckResult.fail(gib + " of memory; Kubernetes needs at least 2 GiB: give the machine more memory");
        }
        if (kb < 4 * GIB_KB - 256 * 1024) {
            return CheckResult.warn(gib + " of memory; 4 GiB or more is recommended for a node that runs workloads");
        }
        return CheckResult.pass(gib);
    }

    static CheckResult disk(Host host) {
        ExecResult r = host.run("df", "-Pk", "/var/lib");
        List<String> lines = r.stdout().lines().toList();
        if (!r.ok() || lines.size() < 2) {
            return CheckResult.warn("cannot measure free disk space ('df -Pk /var/lib' failed)");
        }
        long freeKb = Long.parseLong(lines.get(1).strip().split("\\s+")[3]);
        double gib = freeKb / (double) GIB_KB;
        if (freeKb < 10 * GIB_KB) {
            return CheckResult.fail(String.format("%.1f GiB free under /var/lib; at least 10 GiB is needed for images,"
                    + " etcd and logs: free space or grow the disk", gib));
        }
        if (freeKb < 30 * GIB_KB) {
            return CheckResult.warn(String.format("%.1f GiB free under /var/lib; 30 GiB or more is recommended", gib));
        }
        return CheckResult.pass(String.format("%.1f GiB free", gib));
    }

    static CheckResult swap(Host host) {
        int devices = ProcFiles.activeSwapDevices(host);
        return devices == 0 ? CheckResult.pass("swap is off")
                : CheckResult.warn(devices + " swap device(s) active; host preparation turns swap off (swapoff -a)"
                        + " and disables it in /etc/fstab, as the kubelet requires");
    }

    static CheckResult ports(Host host, List<Integer> wanted) {
        Set<Integer> listening = ProcFiles.listeningPorts(host);
        Set<Integer> busy = new TreeSet<>();
        wanted.stream().filter(listening::contains).forEach(busy::add);
        return busy.isEmpty() ? CheckResult.pass("free")
                : CheckResult.fail("port(s) " + busy + " already in use; stop what listens there (ss -ltnp shows it)"
                        + " or run 'kubestead reset' if an earlier install holds them");
    }

    static CheckResult nodeName(String name) {
        return name.length() <= 253 && NODE_NAME.matcher(name).matches() ? CheckResult.pass(name)
                : CheckResult.fail("'" + name + "' is not a valid node name; give node-name=NAME (lower-case letters,"
                        + " digits, '-' and '.')");
    }

    static CheckResult timeSync(Host host) {
        ExecResult r = host.run("timedatectl", "show", "-p", "NTPSynchronized", "--value");
        if (r.ok() && r.stdout().strip().equals("yes")) {
            return CheckResult.pass("synchronised");
        }
        ExecResult chrony = host.run("chronyc", "-n", "tracking");
        if (chrony.ok() && chrony.stdout().contains("Leap status     : Normal")) {
            return CheckResult.pass("synchronised (chrony)");
        }
        return CheckResult.warn("the clock is not known to be synchronised; certificates and etcd need agreeing clocks:"
                + " enable NTP (timedatectl set-ntp true, or chrony)");
    }

    static CheckResult kernelModules(Host host) {
        Set<String> loaded = ProcFiles.loadedModules(host);
        List<String> missing = new ArrayList<>();
        for (String module : KernelSettings.MODULES) {
            if (!loaded.contains(module) && !KernelSettings.inKernel(host, module) && !host.run("modprobe", "-n", module).ok()) {
                missing.add(module);
            }
        }
        return missing.isEmpty() ? CheckResult.pass("available")
                : CheckResult.fail("kernel module(s) " + missing + " cannot be loaded; install the kernel's extra"
                        + " modules package (e.g. linux-modules-extra) or use a kernel that has them");
    }

    /**
     * A balancer name that does not resolve stops every node later, so it fails here; one that does not answer yet
     * only warns, since many balancers accept connections only once a backend (this master, not yet running) is up.
     */
    static CheckResult loadBalancer(Host host, HostPort lb) {
        String address = lb.host();
        if (!lb.hostIsIp()) {
            ExecResult r = host.run("getent", "ahosts", lb.host());
            if (!r.ok() || r.stdout().isBlank()) {
                return CheckResult.fail("load-balancer-address=" + lb + ": the name " + lb.host()
                        + " does not resolve on this host; add it to DNS or /etc/hosts, or give the balancer's IP");
            }
            address = r.stdout().strip().split("\\s+")[0];
        }
        ExecResult tcp = host.run("timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/\"$0\"/\"$1\"", address,
                Integer.toString(lb.port()));
        return tcp.ok() ? CheckResult.pass(lb + " (" + address + ") answers on TCP")
                : CheckResult.warn(lb + " (" + address + ") does not answer on TCP yet; fine if it listens"
                        + " only once a backend is up, otherwise check the balancer before kubeadm waits for it");
    }

    /**
     * cgroup v2 is unified at /sys/fs/cgroup. On a cgroup v1 (or hybrid) host the kubelet of 1.35 and later refuses to
     * start unless its configuration says {@code failCgroupV1: false}, and kubeadm's SystemVerification fails
     * (kubernetes/kubernetes#134298, KEP-5573). Ignoring this check is how an operator keeps cgroup v1 knowingly: the
     * kubeadm configuration then tells both (see {@code NodeSettings.acceptCgroupV1}).
     */
    static CheckResult cgroups(Host host, KubernetesVersion version) {
        java.util.Optional<String> mounts = host.readString("/proc/mounts");
        if (mounts.isEmpty()) {
            return CheckResult.warn("cannot read /proc/mounts to tell cgroup v1 from v2");
        }
        boolean v2 = mounts.get().lines().map(l -> l.split("\\s+"))
                .anyMatch(f -> f.length > 2 && f[1].equals("/sys/fs/cgroup") && f[2].equals("cgroup2"));
        if (v2) {
            return CheckResult.pass("cgroup v2");
        }
        String wayOut = "boot the host with cgroup v2 (kernel parameter systemd.unified_cgroup_hierarchy=1)";
        if (version.minor() < 35) {
            return CheckResult.warn("this host runs cgroup v1, which Kubernetes deprecates and the kubelet of 1.35 and"
                    + " later refuses; before upgrading, " + wayOut);
        }
        return CheckResult.fail("this host runs cgroup v1, which the kubelet of Kubernetes 1.35 and later refuses: "
                + wayOut + ", or install kubernetes-version=1.34, or keep cgroup v1 knowingly with preflight-ignore="
                + CGROUPS + " (the kubelet is then configured with failCgroupV1: false and kubeadm skips its"
                + " SystemVerification check)");
    }

    static CheckResult earlierInstall(Host host) {
        boolean ours = host.exists("/var/lib/kubestead/state.json");
        List<String> found = new ArrayList<>();
        for (String p : List.of("/etc/kubernetes/admin.conf", "/etc/kubernetes/kubelet.conf", "/var/lib/etcd/member")) {
            if (host.exists(p)) {
                found.add(p);
            }
        }
        if (found.isEmpty() || ours) {
            return CheckResult.pass(ours ? "an earlier Kubestead run; it resumes" : "none");
        }
        return CheckResult.fail("another Kubernetes install is here (" + String.join(", ", found) + "); remove it"
                + " with 'kubeadm reset' (or 'kubestead reset') first");
    }
}
