package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reset of a worker joined through a master's join script, and of the words and help. */
class ResetWorkerTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkerResetsWithoutEtcdAndSaysHowToDeleteItsNodeOnAMaster() throws Exception {
        InstalledMaster master = new InstalledMaster(tmp.resolve("m1"));
        InstalledMaster.JoinedWorker worker = master.joinWorker(tmp, tmp.resolve("w1"));
        StandInNode w1 = worker.node();
        KubeadmStandIn kubeadm = worker.kubeadm();
        assertTrue(Files.exists(w1.root.resolve("etc/kubestead/kubeadm-join.yaml")));

        int before = w1.commands.size();
        CliHarness reset = new CliHarness(tmp, w1.root, kubeadm);
        assertEquals(0, reset.run("reset", "yes"), reset.out + "\n" + reset.err);
        String out = reset.out.toString();
        assertFalse(out.contains("[leave/etcd"), "a worker has no etcd member: " + out);
        assertTrue(out.contains("Left:    the Node worker-1 in the cluster: run 'kubectl delete node worker-1' on a master"),
                "the node name comes from the join settings, not the host name: " + out);
        List<String> ran = w1.displayed().subList(before, w1.commands.size());
        assertFalse(ran.stream().anyMatch(c -> c.startsWith("kubectl")), ran.toString());
        assertEquals(1, kubeadm.calls().stream().filter(c -> c.command().equals("reset")).count());
        for (String gone : List.of("etc/kubestead", "var/lib/kubestead", "etc/kubernetes/manifests/haproxy.yaml",
                "etc/kubernetes/kubelet.conf", "etc/modules-load.d/kubestead.conf", "etc/sysctl.d/99-kubestead.conf")) {
            assertFalse(Files.exists(w1.root.resolve(gone)), gone);
        }
        assertEquals(InstalledMaster.FOREIGN_HOSTS, Files.readString(w1.root.resolve("etc/hosts")));
    }

    @Test
    void aKubeconfigThatIsNoLongerOurCopyStays() throws Exception {
        InstalledMaster m = new InstalledMaster(tmp);
        m.node.write("/home/alice/.kube/config", "kind: Config\n# alice's own contexts\n");
        CliHarness reset = m.harness();
        reset.prompter = q -> java.util.Optional.of("y");
        assertEquals(0, reset.run("reset", "force", "etcd-endpoint=https://127.0.0.1:1"), reset.err.toString());
        assertTrue(m.exists("/home/alice/.kube/config"));
        assertFalse(m.exists("/root/.kube/config"));
        assertTrue(reset.out.toString().contains("Left:    /home/alice/.kube/config (not a copy of this host's"
                + " /etc/kubernetes/admin.conf)"), reset.out.toString());
    }

    @Test
    void wordsAreCheckedAndListedInHelp() throws Exception {
        CliHarness h = new CliHarness(tmp);
        assertEquals(2, h.run("reset", "yes", "focre"));
        assertEquals("kubestead: unknown word 'focre'; did you mean 'force'? (see 'kubestead reset --help' for the"
                + " words)\n", h.err.toString());
        CliHarness bad = new CliHarness(tmp);
        assertEquals(2, bad.run("reset", "etcd-endpoint=http://127.0.0.1:2379"));
        assertTrue(bad.err.toString().startsWith("kubestead: word 'etcd-endpoint=http://127.0.0.1:2379': not an https URL"),
                bad.err.toString());
        CliHarness help = new CliHarness(tmp);
        assertEquals(0, help.run("reset", "--help"));
        for (String word : List.of("yes ", "force ", "dry-run[=DIR]", "node-name=NAME", "etcd-endpoint=URL")) {
            assertTrue(help.out.toString().contains("  " + word), word + " in\n" + help.out);
        }
        CliHarness notRoot = new CliHarness(tmp);
        notRoot.root = false;
        assertEquals(1, notRoot.run("reset", "yes"));
        assertTrue(notRoot.err.toString().contains("must run as root"), notRoot.err.toString());
    }
}
