package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.EtcdTestCluster;
import io.kubestead.agent.kubeadm.standin.KubeadmCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubestead reset on a host made by a real install, with the cluster's last master's etcd running for real. */
class ResetFlowTest {
    static final List<String> KUBESTEAD_FILES = List.of("/etc/kubestead", "/var/lib/kubestead",
            "/etc/kubernetes/manifests/haproxy.yaml", "/etc/modules-load.d/kubestead.conf",
            "/etc/sysctl.d/99-kubestead.conf", "/root/.kube/config", "/home/alice/.kube/config",
            "/etc/keepalived/keepalived.conf", "/etc/cni/net.d/10-flannel.conflist",
            "/etc/systemd/system/kubestead-lb-sync.timer", "/etc/systemd/system/kubestead-lb-sync.service",
            "/etc/systemd/system/kubestead-certs-renew.timer", "/etc/systemd/system/kubestead-certs-renew.service",
            "/etc/systemd/system/kubestead-etcd-backup.timer", "/etc/systemd/system/kubestead-etcd-backup.service");

    @TempDir
    Path tmp;
    EtcdTestCluster etcd;

    @AfterEach
    void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void resetRemovesWhatInstallWroteKeepsForeignHostsLinesAndIsANoOpTheSecondTime() throws Exception {
        etcd = new EtcdTestCluster(tmp.resolve("etcd"));
        EtcdTestCluster.Node only = etcd.startFirst("node-1");
        InstalledMaster m = new InstalledMaster(tmp);
        m.useEtcdClient(etcd.clientFiles());
        // as a VIP install leaves it: keepalived enabled with our configuration
        m.node.write("/etc/cni/net.d/10-flannel.conflist", "{}\n"); // the flannel DaemonSet writes it
        m.node.write("/etc/keepalived/keepalived.conf", "# Kubestead API virtual IP. Generated.\nvrrp_instance x {}\n");
        for (String f : KUBESTEAD_FILES) {
            assertTrue(m.exists(f), "install wrote " + f);
        }
        assertTrue(m.read("/etc/hosts").contains("# BEGIN kubestead"));
        assertTrue(m.exists("/etc/kubernetes/manifests/kube-apiserver.yaml"), "a master");
        int commandsBefore = m.node.commands.size();

        CliHarness reset = m.harness();
        int code = reset.run("reset", "yes", "etcd-endpoint=" + only.clientUrl());
        assertEquals(0, code, reset.out + "\n" + reset.err + "\n" + m.kubeadm.rejections());

        for (String f : KUBESTEAD_FILES) {
            assertFalse(m.exists(f), f + " removed");
        }
        assertEquals(InstalledMaster.FOREIGN_HOSTS, m.read("/etc/hosts"), "only the managed block goes");
        assertTrue(m.exists("/home/alice/.bashrc"));
        assertFalse(m.exists("/etc/kubernetes/admin.conf"));
        List<KubeadmCall> resets = m.kubeadm.calls().stream().filter(c -> c.command().equals("reset")).toList();
        assertEquals(1, resets.size());
        assertTrue(resets.get(0).has("force"));
        List<String> after = m.node.displayed().subList(commandsBefore, m.node.commands.size());
        assertTrue(after.contains("systemctl disable --now keepalived"), after.toString());
        assertTrue(after.contains("systemctl stop kubelet"), after.toString());
        assertTrue(after.get(0).equals("systemctl disable --now kubestead-lb-sync.timer"),
                "the timer stops before anything it could rewrite is removed: " + after);
        assertFalse(after.stream().anyMatch(c -> c.startsWith("kubectl")), "the last master deletes no Node: " + after);
        String out = reset.out.toString();
        assertTrue(out.contains("node-1 is the cluster's last master"), out);
        assertTrue(out.contains("Removed: /etc/kubestead ("), out);
        assertTrue(out.contains("Removed: /etc/kubernetes/manifests/haproxy.yaml (HAProxy static pod"), out);
        assertTrue(out.contains("Removed: the Kubestead block in /etc/hosts (its other lines are kept)"), out);
        assertTrue(out.contains("Left:    the packages kubeadm") || out.contains("Left:    the packages containerd"), out);
        assertEquals(List.of("node-1"), etcd.client(only).members().stream().map(EtcdMember::name).toList(),
                "the last member is never removed");

        List<String> tree = m.tree();
        CliHarness again = m.harness();
        assertEquals(0, again.run("reset", "yes", "etcd-endpoint=" + only.clientUrl()), again.err.toString());
        assertTrue(again.out.toString().contains("Nothing to remove on node-1"), again.out.toString());
        assertFalse(again.out.toString().contains("Removed:"), again.out.toString());
        assertEquals(tree, m.tree(), "the second reset changes no file");
        assertEquals(1, m.kubeadmCalls("reset"), "kubeadm reset runs once");
    }

    @Test
    void etcdBackupsOutliveAResetAndTheUpkeepTimersStop() throws Exception {
        etcd = new EtcdTestCluster(tmp.resolve("etcd"));
        EtcdTestCluster.Node only = etcd.startFirst("node-1");
        InstalledMaster m = new InstalledMaster(tmp);
        m.useEtcdClient(etcd.clientFiles());
        m.node.write("/var/lib/kubestead/backups/etcd-20261202T000000Z/snapshot.db", "db");
        int commandsBefore = m.node.commands.size();
        CliHarness reset = m.harness();
        assertEquals(0, reset.run("reset", "yes", "etcd-endpoint=" + only.clientUrl()), reset.err.toString());
        assertTrue(m.exists("/var/lib/kubestead/backups/etcd-20261202T000000Z/snapshot.db"));
        assertFalse(m.exists("/var/lib/kubestead/join-master.sh") || m.exists("/etc/kubestead"));
        assertFalse(m.exists("/etc/systemd/system/kubestead-certs-renew.timer")
                || m.exists("/etc/systemd/system/kubestead-etcd-backup.service"));
        List<String> after = m.node.displayed().subList(commandsBefore, m.node.commands.size());
        assertTrue(after.contains("systemctl disable --now kubestead-certs-renew.timer")
                && after.contains("systemctl disable --now kubestead-etcd-backup.timer"), after.toString());
        assertTrue(reset.out.toString().contains("Left:    /var/lib/kubestead/backups (etcd backups"), reset.out.toString());
    }

    @Test
    void withoutATerminalOrYesItRefusesWithExit2AndRemovesNothing() throws Exception {
        InstalledMaster m = new InstalledMaster(tmp);
        List<String> tree = m.tree();
        CliHarness reset = m.harness();
        assertEquals(2, reset.run("reset"));
        assertEquals("kubestead: reset asks before removing Kubernetes and there is no terminal to ask on; add the"
                + " word yes to reset without asking\n", reset.err.toString());
        assertEquals(tree, m.tree());
        assertEquals(0, m.kubeadmCalls("reset"));

        CliHarness no = m.harness();
        List<String> asked = new java.util.ArrayList<>();
        no.prompter = q -> {
            asked.add(q);
            return Optional.of("n");
        };
        assertEquals(1, no.run("reset"));
        assertTrue(asked.get(0).startsWith("This removes Kubernetes from node-1 (a master") && asked.get(0).endsWith(
                "Continue? [y/N] "), asked.toString());
        assertEquals(tree, m.tree());
    }

    @Test
    void unreachableEtcdRefusesUnlessForced() throws Exception {
        InstalledMaster m = new InstalledMaster(tmp);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<String> tree = m.tree();
        CliHarness reset = m.harness();
        reset.prompter = q -> Optional.of("y");
        assertEquals(3, reset.run("reset", "etcd-endpoint=https://127.0.0.1:" + closed));
        assertTrue(reset.err.toString().startsWith("kubestead: refusing to reset node-1: cannot reach this master's etcd"),
                reset.err.toString());
        assertTrue(reset.err.toString().contains("Add the word force"), reset.err.toString());
        assertEquals(tree, m.tree(), "nothing changed");

        CliHarness forced = m.harness();
        forced.prompter = q -> Optional.of("yes");
        assertEquals(0, forced.run("reset", "force", "etcd-endpoint=https://127.0.0.1:" + closed), forced.err.toString());
        assertTrue(forced.err.toString().contains("going on because of the word force"), forced.err.toString());
        assertTrue(forced.out.toString().contains("Left:    the etcd member of node-1"), forced.out.toString());
        assertFalse(m.exists("/etc/kubestead"));
        assertEquals(1, m.kubeadmCalls("reset"));
    }

    @Test
    void dryRunChangesNothingAndListsWhatResetWouldDo() throws Exception {
        InstalledMaster m = new InstalledMaster(tmp);
        List<String> tree = m.tree();
        CliHarness dry = m.harness();
        dry.root = false;
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertEquals(0, dry.run("reset", "dry-run=preview", "etcd-endpoint=https://127.0.0.1:" + closed), dry.err.toString());
        assertEquals(tree, m.tree(), "the host is untouched");
        assertEquals(0, m.kubeadmCalls("reset"));
        String plan = Files.readString(tmp.resolve("preview/plan.txt"));
        assertTrue(plan.contains("run: kubeadm reset --force"), plan);
        assertTrue(plan.contains("delete /etc/kubestead/install.json"), plan);
        assertTrue(plan.contains("delete /etc/kubernetes/manifests/haproxy.yaml"), plan);
        assertEquals(InstalledMaster.FOREIGN_HOSTS, Files.readString(tmp.resolve("preview/etc/hosts")),
                "the hosts file as reset would leave it");
        assertTrue(dry.err.toString().contains("a real reset would stop here"), dry.err.toString());
        assertTrue(dry.out.toString().contains("Reset of node-1 would do this:"), dry.out.toString());
    }
}
