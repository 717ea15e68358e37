package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubestead.agent.etcd.TestPki;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import io.kubestead.agent.spec.SupportedVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A first master made by a real {@code kubestead install} through the CLI harness and the kubeadm stand-in, whose
 * kubeadm reset deletes what the real one does, whose kubelet runs until stopped, and whose /etc/hosts had lines
 * of its own before the install.
 */
final class InstalledMaster {
    static final String FOREIGN_HOSTS = "127.0.0.1\tlocalhost\n# the database\n10.9.9.9 db.example.internal db\n";
    final StandInNode node;
    final KubeadmStandIn kubeadm;
    final StandInCluster cluster;
    final AtomicBoolean kubeletActive = new AtomicBoolean(true);
    private final Path workingDir;

    InstalledMaster(Path tmp) throws IOException {
        this.workingDir = tmp;
        node = new StandInNode(tmp.resolve("host"));
        node.write("/etc/hosts", FOREIGN_HOSTS);
        node.write("/home/alice/.bashrc", "# alice's\n");
        node.user("alice", "/home/alice");
        node.answer("systemctl", c -> {
            List<String> a = c.argv();
            if (a.contains("kubelet") && a.contains("stop")) {
                kubeletActive.set(false);
            }
            boolean query = a.contains("is-active") && a.contains("kubelet");
            return new io.kubestead.agent.host.ExecResult(c, query && !kubeletActive.get() ? 3 : 0, "", "");
        });
        cluster = new StandInCluster();
        kubeadm = InstallFlowTest.kubeadm(node, cluster).onCall("reset", InstalledMaster::kubeadmReset);
        CliHarness install = harness();
        assertEquals(0, install.run("install", "ha", "yes"), install.err + "\n" + kubeadm.rejections());
    }

    /** A worker on a stand-in node under {@code root}, joined as {@code worker-1} with this master's join script. */
    record JoinedWorker(StandInNode node, KubeadmStandIn kubeadm, String command) {
    }

    JoinedWorker joinWorker(Path tmp, Path root) throws Exception {
        CliHarness script = harness();
        assertEquals(0, script.run("join-script", "worker"), script.err.toString());
        String command = script.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
        StandInNode w1 = new StandInNode(root);
        w1.write("/etc/hosts", FOREIGN_HOSTS);
        KubeadmStandIn kubeadm = new KubeadmStandIn(new SupportedVersions().defaultVersion(), w1.root, cluster, w1)
                .onCall("join", InstallFlowTest::writeKubeletConf).onCall("reset", InstalledMaster::kubeadmReset);
        List<String> words = new java.util.ArrayList<>(List.of(InstallFlowTest.joinWords(command)));
        words.add("node-name=worker-1");
        CliHarness join = new CliHarness(tmp, w1.root, kubeadm);
        assertEquals(0, join.run(words.toArray(String[]::new)), join.err + "\n" + kubeadm.rejections());
        return new JoinedWorker(w1, kubeadm, command);
    }

    CliHarness harness() {
        CliHarness h = new CliHarness(workingDir, node.root, kubeadm);
        h.variables.put("SUDO_USER", "alice");
        return h;
    }

    /** Puts an etcd client identity where kubeadm keeps the healthcheck client's. */
    void useEtcdClient(TestPki.Files3 client) throws IOException {
        Path etcdPki = node.root.resolve("etc/kubernetes/pki/etcd");
        Files.createDirectories(etcdPki);
        Files.copy(client.ca(), etcdPki.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(client.cert(), etcdPki.resolve("healthcheck-client.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(client.key(), etcdPki.resolve("healthcheck-client.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    boolean exists(String hostPath) {
        return Files.exists(node.root.resolve(hostPath.substring(1)));
    }

    String read(String hostPath) throws IOException {
        return Files.readString(node.root.resolve(hostPath.substring(1)));
    }

    /** Every file and directory on the host, for before/after comparisons. */
    /** The node's files, but for the run logs: every run writes one, even one that changes nothing. */
    List<String> tree() throws IOException {
        try (Stream<Path> s = Files.walk(node.root)) {
            return s.map(p -> "/" + node.root.relativize(p)).filter(p -> !p.startsWith("/var/log/kubestead/"))
                    .sorted().toList();
        }
    }

    long kubeadmCalls(String command) {
        return kubeadm.calls().stream().filter(c -> c.command().equals(command)).count();
    }

    /** What kubeadm reset deletes on a real node. */
    static void kubeadmReset(io.kubestead.agent.kubeadm.standin.KubeadmCall call, Path root) throws IOException {
        for (String f : List.of("admin.conf", "super-admin.conf", "kubelet.conf", "controller-manager.conf",
                "scheduler.conf")) {
            Files.deleteIfExists(root.resolve("etc/kubernetes").resolve(f));
        }
        for (String dir : List.of("etc/kubernetes/manifests", "etc/kubernetes/pki", "var/lib/kubelet", "var/lib/etcd")) {
            emptyDir(root.resolve(dir));
        }
    }

    private static void emptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
