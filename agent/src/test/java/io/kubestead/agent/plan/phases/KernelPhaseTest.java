package io.kubestead.agent.plan.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.CommandFailedException;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kernel with overlay and br_netfilter built in and no /lib/modules (the lab's nodes, many cloud kernels). */
class KernelPhaseTest {
    @TempDir
    Path tmp;

    private final List<String> commands = new ArrayList<>();

    private RootedHost host() {
        return new RootedHost("h", tmp, c -> {
            commands.add(c.display());
            // What modprobe says where /lib/modules is absent, built in or not.
            return c.display().startsWith("modprobe")
                    ? new ExecResult(c, 1, "", "modprobe: FATAL: Module " + c.argv().get(c.argv().size() - 1)
                            + " not found in directory /lib/modules/6.18.0")
                    : new ExecResult(c, 0, "", "");
        }, new ActionLog());
    }

    private PhaseContext context(RootedHost host) {
        StringWriter out = new StringWriter();
        ActionLog log = new ActionLog();
        return new PhaseContext(host, new ConsoleProgress(new PrintWriter(out), new PrintWriter(out), false), log,
                Clock.systemUTC(), false, new StateStore(host));
    }

    @Test
    void builtInModulesAreNotLoadedWithModprobe() throws Exception {
        Files.createDirectories(tmp.resolve("proc/sys/net/bridge"));
        Files.writeString(tmp.resolve("proc/sys/net/bridge/bridge-nf-call-iptables"), "0\n");
        Files.writeString(tmp.resolve("proc/filesystems"), "nodev\tsysfs\nnodev\toverlay\n\text4\n");
        new KernelPhase(false).run(context(host()));
        assertEquals(List.of("sysctl --system"), commands);
        assertTrue(Files.readString(tmp.resolve("etc/sysctl.d/99-kubestead.conf")).contains("ip_forward = 1"));
    }

    @Test
    void aReadOnlyConntrackMaxIsNoticed() throws Exception {
        RootedHost host = host();
        assertTrue(!io.kubestead.agent.hostsetup.KernelSettings.conntrackReadOnly(host), "absent: not read-only");
        Path max = Files.createDirectories(tmp.resolve("proc/sys/net/netfilter")).resolve("nf_conntrack_max");
        Files.writeString(max, "262144\n");
        Files.setPosixFilePermissions(max, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(!io.kubestead.agent.hostsetup.KernelSettings.conntrackReadOnly(host));
        // what a container in its own network namespace shows (the node lab's nodes)
        Files.setPosixFilePermissions(max, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        assertTrue(io.kubestead.agent.hostsetup.KernelSettings.conntrackReadOnly(host));
    }

    @Test
    void aMissingModuleIsStillLoadedAndItsFailureStops() throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("proc")).resolve("filesystems"), "nodev\toverlay\n");
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> new KernelPhase(false).run(context(host())));
        assertTrue(e.getMessage().contains("modprobe br_netfilter"), e.getMessage());
        assertEquals(List.of("modprobe br_netfilter"), commands);
    }
}
