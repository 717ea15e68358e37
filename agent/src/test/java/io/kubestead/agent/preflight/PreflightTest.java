package io.kubestead.agent.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.agent.version.KubernetesVersion;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    private static final KubernetesVersion V135 = KubernetesVersion.parse("1.35.5");
    /** /proc/mounts of a cgroup v1 host (this build machine's kind: /sys/fs/cgroup is a tmpfs of v1 hierarchies). */
    private static final String CGROUP_V1_MOUNTS = """
            proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
            tmpfs /sys/fs/cgroup tmpfs ro,nosuid,nodev,noexec,mode=755 0 0
            cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0
            cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0
            """;
    /** A hybrid host: a cgroup2 mount exists, but not at /sys/fs/cgroup; the kubelet still runs on v1. */
    private static final String CGROUP_HYBRID_MOUNTS = CGROUP_V1_MOUNTS
            + "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n";
    private static final String CGROUP_V2_MOUNTS = """
            proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
            cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0
            """;

    @TempDir
    Path tmp;

    @Test
    void cgroupV1FailsFromKubernetes135NamingEveryWayOutAndWarnsBefore() {
        Host h = fakeHost(Map.of());
        for (String mounts : List.of(CGROUP_V1_MOUNTS, CGROUP_HYBRID_MOUNTS)) {
            h.writeString("/proc/mounts", mounts, 0444);
            CheckResult r = Checks.cgroups(h, V135);
            assertEquals(CheckResult.Status.FAIL, r.status(), mounts);
            assertTrue(r.message().startsWith("this host runs cgroup v1, which the kubelet of Kubernetes 1.35 and later"
                    + " refuses: boot the host with cgroup v2 (kernel parameter systemd.unified_cgroup_hierarchy=1),"
                    + " or install kubernetes-version=1.34, or keep cgroup v1 knowingly with preflight-ignore=cgroups"),
                    r.message());
            assertEquals(CheckResult.Status.FAIL, Checks.cgroups(h, KubernetesVersion.parse("1.37.2")).status());
            CheckResult old = Checks.cgroups(h, KubernetesVersion.parse("1.34.4"));
            assertEquals(CheckResult.Status.WARN, old.status());
            assertTrue(old.message().contains("deprecates"), old.message());
        }
        h.writeString("/proc/mounts", CGROUP_V2_MOUNTS, 0444);
        assertEquals(CheckResult.Status.PASS, Checks.cgroups(h, V135).status());
        assertEquals("cgroup v2", Checks.cgroups(h, V135).message());
    }

    @Test
    void theCgroupsCheckRunsForEveryRoleAndCanBeIgnored() throws Exception {
        for (Role role : Role.values()) {
            assertTrue(Checks.forRole(role, "n", V135).stream().anyMatch(c -> c.name().equals("cgroups")), role.name());
        }
        Host h = fakeHost(Map.of());
        h.writeString("/proc/mounts", CGROUP_V1_MOUNTS, 0444);
        List<Check> only = Checks.forRole(Role.MASTER, "n", V135).stream().filter(c -> c.name().equals("cgroups")).toList();
        PreflightException e = assertThrows(PreflightException.class, () -> new Preflight(only, Set.of()).run(h, o -> { }));
        assertTrue(e.getMessage().contains("cgroups: this host runs cgroup v1"), e.getMessage());
        assertEquals(1, new Preflight(only, Set.of("cgroups")).run(h, o -> { }).size());
    }

    /** A host whose /proc and command answers the test writes. */
    private Host fakeHost(Map<String, String> commandOutputs) {
        return new RootedHost("fake", tmp, cmd -> {
            String out = commandOutputs.get(cmd.display());
            return out == null ? new ExecResult(cmd, 1, "", "not found") : new ExecResult(cmd, 0, out, "");
        }, new ActionLog());
    }

    @Test
    void builtInModulesPassWithoutModprobeOrSysModule() throws Exception {
        // modprobe -n fails (no /lib/modules) and /sys/module has no br_netfilter: the capability decides.
        Host h = fakeHost(Map.of());
        h.writeString("/proc/filesystems", "nodev\tsysfs\nnodev\toverlay\n", 0444);
        h.writeString("/proc/sys/net/bridge/bridge-nf-call-iptables", "1\n", 0644);
        assertEquals(CheckResult.Status.PASS, Checks.kernelModules(h).status());
        h.writeString("/proc/filesystems", "nodev\tsysfs\n", 0444);
        CheckResult noOverlay = Checks.kernelModules(h);
        assertEquals(CheckResult.Status.FAIL, noOverlay.status());
        assertTrue(noOverlay.message().contains("[overlay]"), noOverlay.message());
    }

    @Test
    void aRealListenerMakesThePortCheckFail() throws Exception {
        Host real = RootedHost.local(new ActionLog());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CheckResult r = Checks.ports(real, List.of(s.getLocalPort()));
            assertEquals(CheckResult.Status.FAIL, r.status());
            assertTrue(r.message().contains(String.valueOf(s.getLocalPort())));
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertEquals(CheckResult.Status.PASS, Checks.ports(real, List.of(closed)).status());
    }

    @Test
    void aBalancerNameThatDoesNotResolveFailsAndOneThatDoesNotAnswerWarns() throws Exception {
        Host real = RootedHost.local(new ActionLog());
        CheckResult unresolved = Checks.loadBalancer(real, HostPort.parse("kubestead-no-such-balancer.invalid:6443", 6443));
        assertEquals(CheckResult.Status.FAIL, unresolved.status(), unresolved.message());
        assertTrue(unresolved.message().startsWith("load-balancer-address=kubestead-no-such-balancer.invalid:6443: the name"
                + " kubestead-no-such-balancer.invalid does not resolve"), unresolved.message());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CheckResult answers = Checks.loadBalancer(real, HostPort.parse("localhost:" + s.getLocalPort(), 6443));
            assertEquals(CheckResult.Status.PASS, answers.status(), answers.message());
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        CheckResult silent = Checks.loadBalancer(real, HostPort.parse("127.0.0.1:" + closed, 6443));
        assertEquals(CheckResult.Status.WARN, silent.status(), silent.message());
        assertTrue(silent.message().contains("does not answer on TCP yet"), silent.message());
    }

    @Test
    void theBalancerCheckRunsOnlyForABalancerOfTheUsers() {
        assertTrue(Checks.forRole(Role.MASTER, "n", V135).stream().noneMatch(c -> c.name().equals("load-balancer")));
        assertTrue(Checks.forRole(Role.MASTER, "n", V135, java.util.Optional.of(HostPort.parse("lb:6443", 6443))).stream()
                .anyMatch(c -> c.name().equals("load-balancer")));
    }

    @Test
    void memoryThresholds() {
        Host h = fakeHost(Map.of());
        h.writeString("/proc/meminfo", "MemTotal:        1024000 kB\n", 0644);
        assertEquals(CheckResult.Status.FAIL, Checks.memory(h).status());
        h.writeString("/proc/meminfo", "MemTotal:        1950000 kB\n", 0644);
        assertEquals(CheckResult.Status.WARN, Checks.memory(h).status(), "a 2 GiB machine passes with a warning");
        h.writeString("/proc/meminfo", "MemTotal:        8000000 kB\n", 0644);
        assertEquals(CheckResult.Status.PASS, Checks.memory(h).status());
    }

    @Test
    void cpuAndArch() {
        Host h = fakeHost(Map.of("nproc", "1\n", "uname -sm", "Linux armv7l\n"));
        assertEquals(CheckResult.Status.FAIL, Checks.cpu(h).status());
        assertTrue(Checks.arch(h).message().contains("armv7l"));
        Host ok = fakeHost(Map.of("nproc", "4\n", "uname -sm", "Linux x86_64\n"));
        assertEquals(CheckResult.Status.PASS, Checks.cpu(ok).status());
        assertEquals(CheckResult.Status.PASS, Checks.arch(ok).status());
    }

    @Test
    void earlierInstallByAnotherToolFailsButOurOwnResumes() {
        Host h = fakeHost(Map.of());
        h.writeString("/etc/kubernetes/admin.conf", "x", 0600);
        assertEquals(CheckResult.Status.FAIL, Checks.earlierInstall(h).status());
        h.writeString("/var/lib/kubestead/state.json", "{}", 0644);
        assertEquals(CheckResult.Status.PASS, Checks.earlierInstall(h).status());
    }

    @Test
    void failuresAreCollectedAndIgnoredOnesPass() {
        Host h = fakeHost(Map.of("id -u", "1000\n", "nproc", "1\n"));
        Check root = Checks.forRole(Role.MASTER, "n", V135).stream().filter(c -> c.name().equals("root")).findFirst().orElseThrow();
        Check cpu = Checks.forRole(Role.MASTER, "n", V135).stream().filter(c -> c.name().equals("cpu")).findFirst().orElseThrow();
        PreflightException e = assertThrows(PreflightException.class,
                () -> new Preflight(List.of(root, cpu), Set.of()).run(h, o -> { }));
        assertTrue(e.getMessage().contains("root: not running as root") && e.getMessage().contains("cpu: 1 CPU"), e.getMessage());
        new Preflight(List.of(root, cpu), Set.of("root", "cpu")).run(h, o -> { });
    }

    @Test
    void ignoringAnUnknownCheckIsAUsageError() {
        SpecException e = assertThrows(SpecException.class,
                () -> new Preflight(Checks.forRole(Role.WORKER, "n", V135), Set.of("colour")));
        assertTrue(e.getMessage().contains("no check named 'colour'"));
    }
}
