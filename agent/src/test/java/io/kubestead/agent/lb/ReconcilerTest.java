package io.kubestead.agent.lb;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes as host roots in temporary directories (the dry-run layout). Commands are recorded, not run: no
 * bootstrap balancer runs here (its pid file is absent), and systemctl must not touch this machine's keepalived.
 */
class ReconcilerTest {
    static final Master M1 = new Master("m1", "10.0.0.1");
    static final Master M2 = new Master("m2", "10.0.0.2");
    static final Master M3 = new Master("m3", "10.0.0.3");
    static final LbSettings INTERNAL = Settings.internal("prod");
    @TempDir
    Path dir;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());

    private RootedHost host(String name) throws Exception {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n10.0.0.7\tbuild-cache\n");
        return new RootedHost(name, root, this::record, new ActionLog());
    }

    private ExecResult record(Command c) {
        commands.add(c.display());
        return new ExecResult(c, 0, "", "");
    }

    @Test
    void dryRunLayoutHasTheFilesTheIssueNames() throws Exception {
        RootedHost h = host("m1");
        NodeChange c = new NodeBalancer(INTERNAL, LbPaths.standard()).apply(h, List.of(M1, M2, M3), java.util.Optional.of("m1"));
        assertEquals(List.of("/etc/kubestead/haproxy/haproxy.cfg", "/etc/kubernetes/manifests/haproxy.yaml", "/etc/hosts"),
                c.written());
        assertTrue(Files.readString(h.resolve("/etc/kubestead/haproxy/haproxy.cfg")).contains("server m2 10.0.0.2:6443 backup"));
        assertEquals(0600, h.mode("/etc/kubernetes/manifests/haproxy.yaml").orElseThrow());
        assertTrue(Files.readString(h.resolve("/etc/hosts")).startsWith("127.0.0.1\tlocalhost\n10.0.0.7\tbuild-cache\n"));
        LbSettings vip = Settings.vip("prod", "10.0.0.100", "eth0");
        NodeChange v = new NodeBalancer(vip, LbPaths.standard()).apply(h, List.of(M1, M2, M3), java.util.Optional.of("m1"));
        assertTrue(v.written().contains("/etc/keepalived/keepalived.conf"), v.toString());
        assertTrue(v.deleted().containsAll(List.of("/etc/kubernetes/manifests/haproxy.yaml", "/etc/kubestead/haproxy/haproxy.cfg")),
                "switching to VIP removes the local balancer: " + v);
        assertEquals(List.of("systemctl enable keepalived", "systemctl reload-or-restart keepalived"), commands);
    }

    @Test
    void beforeKubeadmTheManifestsDirectoryStaysEmptyAndARerunKeepsTheStaticPod() throws Exception {
        RootedHost h = host("m1");
        NodeBalancer nb = new NodeBalancer(INTERNAL, LbPaths.standard());
        NodeChange before = nb.prepare(h, List.of(M1), java.util.Optional.of("m1"));
        assertEquals(List.of("/etc/kubestead/haproxy/haproxy.cfg", "/etc/hosts"), before.written());
        assertFalse(h.exists("/etc/kubernetes/manifests/haproxy.yaml"), "kubeadm's preflight wants no manifests yet");
        NodeChange after = nb.apply(h, List.of(M1), java.util.Optional.of("m1"));
        assertEquals(List.of("/etc/kubernetes/manifests/haproxy.yaml"), after.written());
        NodeChange rerun = nb.prepare(h, List.of(M1), java.util.Optional.of("m1"));
        assertFalse(rerun.changed(), rerun.toString());
        assertTrue(h.exists("/etc/kubernetes/manifests/haproxy.yaml"));
    }

    @Test
    void backendsFollowTheMastersOnEveryNodeAndASecondPassChangesNothing() throws Exception {
        List<LbNode> nodes = List.of(LbNode.master(host("m1"), "m1"), LbNode.master(host("m2"), "m2"),
                LbNode.worker(host("w1")));
        Reconciler r = new Reconciler(INTERNAL, LbPaths.standard());

        ReconcileReport first = r.reconcile(List.of(M1, M2), nodes);
        assertEquals(List.of("m1", "m2", "w1"), first.changedNodes());
        assertEquals(List.of(), r.reconcile(List.of(M1, M2), nodes).changedNodes(), "idempotent");

        ReconcileReport joined = r.reconcile(List.of(M1, M2, M3), nodes);
        assertEquals(List.of("m1", "m2", "w1"), joined.changedNodes());
        for (NodeChange c : joined.nodes()) {
            assertEquals(List.of("/etc/kubestead/haproxy/haproxy.cfg", "/etc/kubernetes/manifests/haproxy.yaml"),
                    c.written(), "the hosts file does not change when a master joins: " + c);
        }
        String worker = Files.readString(((RootedHost) nodes.get(2).host()).resolve("/etc/kubestead/haproxy/haproxy.cfg"));
        assertTrue(worker.contains("server m3 10.0.0.3:6443\n"), worker);

        r.reconcile(List.of(M1, M3), nodes);
        String m1 = Files.readString(((RootedHost) nodes.get(0).host()).resolve("/etc/kubestead/haproxy/haproxy.cfg"));
        assertFalse(m1.contains("server m2"), "a removed master leaves every balancer: " + m1);
        assertTrue(commands.isEmpty(), "nothing to reload without a bootstrap instance: " + commands);
    }

    @Test
    void switchingToAnExternalBalancerIsAHostsChangeAndRemovesTheLocalBalancer() throws Exception {
        List<LbNode> nodes = List.of(LbNode.master(host("m1"), "m1"), LbNode.worker(host("w1")));
        new Reconciler(INTERNAL, LbPaths.standard()).reconcile(List.of(M1), nodes);
        LbSettings external = Settings.external("prod", "10.0.0.10:6443");
        ReconcileReport r = new Reconciler(external, LbPaths.standard()).reconcile(List.of(M1), nodes);
        for (NodeChange c : r.nodes()) {
            assertEquals(List.of("/etc/hosts"), c.written(), c.toString());
            assertEquals(List.of("/etc/kubernetes/manifests/haproxy.yaml", "/etc/kubestead/haproxy/haproxy.cfg"), c.deleted());
        }
        RootedHost w1 = (RootedHost) nodes.get(1).host();
        assertTrue(Files.readString(w1.resolve("/etc/hosts")).contains("10.0.0.10\tapi.prod.kubestead.internal\n"));
    }

    @Test
    void aFailingNodeIsReportedAndTheOthersAreStillUpdated() throws Exception {
        RootedHost broken = host("w9");
        Files.writeString(broken.resolve("/etc/hosts"), "# BEGIN kubestead\n1.1.1.1 half\n");
        ReconcileReport r = new Reconciler(INTERNAL, LbPaths.standard())
                .reconcile(List.of(M1), List.of(LbNode.worker(broken), LbNode.worker(host("w1"))));
        assertFalse(r.ok());
        assertEquals("w9", r.failures().get(0).node());
        assertTrue(r.failures().get(0).error().orElseThrow().contains("no '# END kubestead'"));
        assertEquals(List.of("w1"), r.changedNodes());
    }
}
