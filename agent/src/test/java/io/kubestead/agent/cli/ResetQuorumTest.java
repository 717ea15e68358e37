package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.EtcdTestCluster;
import io.kubestead.agent.join.KubeadmEtcdJoin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resetting one master of three, against a real three-member TLS etcd on loopback whose member node-1 is the
 * installed host's: allowed when all are healthy, refused when another member is down.
 */
class ResetQuorumTest {
    @TempDir
    Path tmp;
    EtcdTestCluster etcd;
    EtcdTestCluster.Node node1;
    EtcdTestCluster.Node cp2;
    EtcdTestCluster.Node cp3;
    InstalledMaster master;

    @BeforeEach
    void threeMasters() throws Exception {
        etcd = new EtcdTestCluster(tmp.resolve("etcd"));
        node1 = etcd.startFirst("node-1");
        KubeadmEtcdJoin join = new KubeadmEtcdJoin(etcd, etcd.client(node1));
        cp2 = join.join("cp-2", Duration.ofSeconds(20));
        cp3 = join.join("cp-3", Duration.ofSeconds(20));
        master = new InstalledMaster(tmp);
        master.useEtcdClient(etcd.clientFiles());
    }

    @AfterEach
    void stop() {
        etcd.close();
    }

    @Test
    void aHealthyClusterLetsTheMasterLeaveEtcdAndDeletesItsNode() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        master.kubeadm.onCall("reset", (call, root) -> {
            if (failOnce.getAndSet(false)) {
                throw new java.io.IOException("stand-in: kubeadm reset interrupted");
            }
            InstalledMaster.kubeadmReset(call, root);
        });
        CliHarness failed = master.harness();
        assertEquals(1, failed.run("reset", "yes", "etcd-endpoint=" + node1.clientUrl()), failed.out + "\n" + failed.err);
        assertTrue(failed.err.toString().contains("phase kubeadm/reset failed"), failed.err.toString());
        // a removed member stops serving: the rerun cannot ask it any more
        assertTrue(node1.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "removed etcd member exits");

        CliHarness reset = master.harness();
        int commandsBefore = master.node.commands.size();
        assertEquals(0, reset.run("reset", "yes", "etcd-endpoint=" + node1.clientUrl()),
                reset.out + "\n" + reset.err);
        assertTrue(reset.out.toString().contains("an earlier reset already removed the etcd member node-1"), reset.out.toString());
        EtcdClient others = etcd.client(cp2, cp3);
        assertEquals(List.of("cp-2", "cp-3"), others.members().stream().map(EtcdMember::name).sorted().toList());
        List<String> commands = master.node.displayed().subList(0, commandsBefore);
        assertTrue(commands.contains("kubectl --kubeconfig /etc/kubernetes/admin.conf delete node node-1 --ignore-not-found"),
                commands.toString());
        String out = failed.out.toString();
        assertTrue(out.contains("etcd has 3 of 3 voting members healthy; removing etcd member node-1"), out);
        assertTrue(out.contains("Removed: the etcd member node-1 (id "), out);
        assertTrue(out.contains("Removed: the Node node-1 from the cluster"), out);
        assertEquals(2, master.kubeadmCalls("reset"), "the interrupted kubeadm reset, then the rerun's");
        assertTrue(!master.exists("/etc/kubestead") && !master.exists("/var/lib/kubestead"));
    }

    @Test
    void withOneMemberDownResettingAHealthyMasterIsRefusedAndChangesNothing() throws Exception {
        etcd.kill(cp3);
        List<String> tree = master.tree();
        int commandsBefore = master.node.commands.size();
        CliHarness reset = master.harness();
        assertEquals(3, reset.run("reset", "yes", "etcd-endpoint=" + node1.clientUrl()));
        String err = reset.err.toString();
        assertTrue(err.startsWith("kubestead: refusing to reset node-1: etcd has 2 of 3 voting members healthy;"
                + " removing etcd member node-1 (id "), err);
        assertTrue(err.contains("would leave 1 healthy of 2 voting members, below the quorum of 2; bring back or"
                + " remove the unhealthy members first: cp-3 (id "), err);
        assertTrue(err.contains("Nothing was changed. Add the word force"), err);
        assertEquals(tree, master.tree());
        assertEquals(List.of(), master.node.displayed().subList(commandsBefore, master.node.commands.size()),
                "no command ran: no kubectl, no kubeadm");
        assertEquals(3, etcd.client(node1, cp2).members().size());

        CliHarness forced = master.harness();
        assertEquals(0, forced.run("reset", "yes", "force", "etcd-endpoint=" + node1.clientUrl()), forced.err.toString());
        String id = etcd.client(cp2).members().stream().filter(m -> m.name().equals("node-1")).findFirst().orElseThrow().idHex();
        assertTrue(forced.out.toString().contains("Left:    the etcd member of node-1: once etcd is healthy, remove it"
                + " on another master with 'etcdctl member remove " + id + "'"), forced.out.toString());
        assertEquals(3, etcd.client(node1, cp2).members().size(), "forced: the member is left for the user");
        assertTrue(!master.exists("/etc/kubestead") && master.kubeadmCalls("reset") == 1);
    }
}
