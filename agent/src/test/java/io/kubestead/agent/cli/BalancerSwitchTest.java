package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching the balancer's mode on a master by rerunning install, and back: what the old mode ran and wrote goes,
 * and every phase of each plan says what it does in that mode.
 */
class BalancerSwitchTest {
    static final String TIMER = "etc/systemd/system/kubestead-lb-sync.timer";
    static final String SERVICE = "etc/systemd/system/kubestead-lb-sync.service";
    static final String CHECK = "etc/kubestead/lb-sync-check.sh";
    static final String MANIFEST = "etc/kubernetes/manifests/haproxy.yaml";
    static final String HAPROXY_DIR = "etc/kubestead/haproxy";
    static final String KEEPALIVED = "etc/keepalived/keepalived.conf";
    @TempDir
    Path tmp;

    @Test
    void internalToExternalToVipAndBackLeavesNothingOfTheOldMode() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("m1"));
        // the VIP's subnet is on eth1 of this node
        node.answer("ip", c -> StandInNode.ok(c, c.argv().get(c.argv().size() - 1) + " dev eth1 src 10.0.0.5 uid 0\n    cache\n"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        assertEquals(0, new CliHarness(tmp, node.root, kubeadm).run("install", "ha", "yes"));
        assertTrue(exists(node, TIMER) && exists(node, SERVICE) && exists(node, CHECK) && exists(node, MANIFEST));
        Files.writeString(node.root.resolve("etc/kubernetes/admin.conf"),
                Files.readString(node.root.resolve("root/.kube/config")));

        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        int mark = node.commands.size();
        CliHarness external = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, external.run("install", "ha", "load-balancer-address=127.0.0.2:" + closedPort, "yes"), external.err.toString());
        String out = external.out.toString();
        assertTrue(out.contains("[lb/prepare] Point the stable API name at the load balancer 127.0.0.2:" + closedPort), out);
        assertTrue(out.contains("[lb/leftovers] Remove what the old load balancer mode left: the lb-sync timer,"
                + " the HAProxy static pod, haproxy.cfg"), out);
        assertFalse(out.contains("[lb/static-pod]") || out.contains("[lb/sync]"), out);
        List<String> ran = node.displayed().subList(mark, node.commands.size());
        assertTrue(ran.contains("systemctl disable --now kubestead-lb-sync.timer"), ran.toString());
        for (String gone : List.of(TIMER, SERVICE, CHECK, MANIFEST, HAPROXY_DIR)) {
            assertFalse(exists(node, gone), gone + " is left after the switch to an external balancer");
        }
        assertTrue(Files.readString(node.root.resolve("etc/kubestead/balancer.json")).contains("\"external\""));

        mark = node.commands.size();
        CliHarness vip = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, vip.run("install", "ha", "vip=10.0.0.100", "yes"), vip.err.toString());
        ran = node.displayed().subList(mark, node.commands.size());
        assertTrue(ran.contains("ip -o route get 10.0.0.100"), ran.toString());
        String keepalived = Files.readString(node.root.resolve(KEEPALIVED));
        assertTrue(keepalived.contains("interface eth1"), keepalived);
        assertTrue(ran.contains("systemctl enable --now kubestead-lb-sync.timer"), "keepalived's peers follow the masters");
        assertTrue(vip.out.toString().contains("[lb/prepare] Point the stable API name at the VIP 10.0.0.100, held by"
                + " keepalived among the masters"), vip.out.toString());
        assertFalse(vip.out.toString().contains("[lb/leftovers]"), "an external balancer leaves nothing on the node");

        mark = node.commands.size();
        CliHarness internal = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, internal.run("install", "ha", "yes"), internal.err.toString());
        ran = node.displayed().subList(mark, node.commands.size());
        assertTrue(internal.out.toString().contains("[lb/leftovers] Remove what the old load balancer mode left: keepalived"),
                internal.out.toString());
        assertTrue(ran.contains("systemctl disable --now keepalived"), ran.toString());
        assertFalse(exists(node, KEEPALIVED));
        assertTrue(exists(node, MANIFEST) && exists(node, TIMER) && exists(node, CHECK));
        assertTrue(Files.readString(node.root.resolve("etc/hosts")).contains("127.0.0.1"));
    }

    @Test
    void aDryRunWithAnExternalBalancerHasNoInternalBalancerSteps() throws Exception {
        CliHarness h = new CliHarness(tmp);
        assertEquals(0, h.run("install", "ha", "load-balancer-address=10.0.0.10:6443", "dry-run=d"), h.err.toString());
        String plan = Files.readString(tmp.resolve("d/plan.txt"));
        assertTrue(plan.contains("== lb/prepare: Point the stable API name at the load balancer 10.0.0.10:6443"), plan);
        assertFalse(plan.contains("lb/static-pod") || plan.contains("static pod") || plan.contains("lb/sync"), plan);
        assertFalse(Files.exists(tmp.resolve("d").resolve(TIMER)));
    }

    @Test
    void aDryRunWithAVipRecordsTheInterfaceQuestionInsteadOfAskingThisMachine() throws Exception {
        CliHarness h = new CliHarness(tmp);
        h.root = false;
        // 10.0.0.100 is not on a segment of this machine: asked here, the install would be refused
        assertEquals(0, h.run("install", "ha", "vip=10.0.0.100", "dry-run=d"), h.err.toString());
        String plan = Files.readString(tmp.resolve("d/plan.txt"));
        assertTrue(plan.contains("run: ip -o route get 10.0.0.100"), plan);
        String keepalived = Files.readString(tmp.resolve("d").resolve(KEEPALIVED));
        assertTrue(keepalived.contains("interface dry-run-nic"), keepalived);
    }

    @Test
    void theSudoUsersKubeconfigGoesToTheHomeThePasswdDatabaseNames() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("m1"));
        node.user("bob", "/srv/homes/bob");
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        h.variables.put("SUDO_USER", "bob");
        assertEquals(0, h.run("install", "yes"), h.err.toString());
        assertTrue(exists(node, "srv/homes/bob/.kube/config"));
        assertFalse(exists(node, "home/bob"), "not guessed as /home/bob");
        assertTrue(node.displayed().contains("getent passwd bob"), node.displayed().toString());
        assertTrue(node.displayed().contains("chown -R bob: /srv/homes/bob/.kube"), node.displayed().toString());

        StandInNode other = new StandInNode(tmp.resolve("m2"));
        KubeadmStandIn kubeadm2 = InstallFlowTest.kubeadm(other, new StandInCluster());
        CliHarness unknown = new CliHarness(tmp, other.root, kubeadm2);
        unknown.variables.put("SUDO_USER", "carol");
        assertEquals(0, unknown.run("install", "yes"), unknown.err.toString());
        assertTrue(unknown.err.toString().contains("no home directory for carol in the passwd database"), unknown.err.toString());
        assertFalse(exists(other, "home/carol"));
    }

    private static boolean exists(StandInNode node, String path) {
        return Files.exists(node.root.resolve(path));
    }
}
