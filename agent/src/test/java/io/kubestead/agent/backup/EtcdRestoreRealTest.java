package io.kubestead.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.controlplane.LocalControlPlane;
import io.kubestead.agent.controlplane.StaticPodManifest;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.realcluster.NamespaceHost;
import io.kubestead.agent.realcluster.TestBridge;
import io.kubestead.agent.realcluster.TestKubelet;
import io.kubestead.agent.realcluster.TreeCommands;
import io.kubestead.agent.upstream.UpstreamBinaries;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real etcd 3.6 members, each on its own test host from kubeadm's own etcd manifest, the first with a real
 * kube-apiserver on them; static pods run by {@link TestKubelet}. Objects written through the API and keys written
 * to etcd, a snapshot with {@code kubestead etcd snapshot}, more writes, then two members destroyed (processes
 * killed, data wiped): quorum lost. {@code kubestead etcd restore} on the first brings the snapshot's objects back
 * and the later write is gone; {@code kubestead etcd rejoin} on the two others makes a three-member cluster again.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EtcdRestoreRealTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    final List<Path> trees = new ArrayList<>();
    final List<NamespaceHost> hosts = new ArrayList<>();
    final List<TestKubelet> kubelets = new ArrayList<>();

    @Test
    void snapshotLoseQuorumRestoreRejoin() throws Exception {
        UpstreamBinaries.requireRoot();
        UpstreamBinaries.Release release = UpstreamBinaries.releases().get(0);
        Path binaries = null;
        for (String p : List.of("kubeadm", "kubectl", "etcd", "etcdutl", "kube-apiserver")) {
            binaries = UpstreamBinaries.binary(release, p).getParent();
        }
        Files.createDirectories(tmp.resolve("logs"));
        try (TestBridge bridge = new TestBridge()) {
            List<String> names = List.of("m1", "m2", "m3");
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String address = bridge.nextAddress();
                addresses.add(address);
                Path tree = tmp.resolve(names.get(i));
                List<String> words = new ArrayList<>(List.of("install", "ha", "load-balancer-address=" + addresses.get(0) + ":6443",
                        "private-address=" + address, "node-name=" + names.get(i), "kubernetes-version=" + release.bare(), "yes"));
                if (i > 0) { // one cluster: the first master's CAs
                    Path pki = trees.get(0).resolve("etc/kubernetes/pki");
                    words.addAll(List.of("ca-cert=" + pki.resolve("ca.crt"), "ca-key=" + pki.resolve("ca.key"),
                            "etcd-ca-cert=" + pki.resolve("etcd/ca.crt"), "etcd-ca-key=" + pki.resolve("etcd/ca.key")));
                }
                dryRun(tree, address, names.get(i), words);
                trees.add(tree);
                NamespaceHost h = bridge.host(names.get(i), tree, tmp.resolve("scratch-" + names.get(i)), binaries);
                hosts.add(h);
                ok(h.run(Duration.ofMinutes(2), "kubeadm", "init", "phase", "etcd", "local", "--config",
                        "/etc/kubestead/kubeadm-init.yaml"));
                if (i == 0) {
                    ok(h.run(Duration.ofMinutes(2), "kubeadm", "init", "phase", "control-plane", "apiserver", "--config",
                            "/etc/kubestead/kubeadm-init.yaml"));
                }
            }
            String initial = "";
            for (int i = 0; i < 3; i++) {
                initial += (i == 0 ? "" : ",") + names.get(i) + "=https://" + addresses.get(i) + ":2380";
            }
            for (Path tree : trees) { // a three-member cluster from the start
                Path m = tree.resolve("etc/kubernetes/manifests/etcd.yaml");
                Files.writeString(m, StaticPodManifest.parse(m.toString(), Files.readAllBytes(m))
                        .withFlag("initial-cluster", initial).render());
            }
            for (int i = 0; i < 3; i++) {
                kubelets.add(new TestKubelet(hosts.get(i), tmp.resolve("logs"), i == 0 ? Set.of("etcd", "kube-apiserver") : Set.of("etcd")));
            }
            EtcdClient etcd1 = etcdOf(0);
            awaitHealthy(etcd1, URI.create("https://" + addresses.get(0) + ":2379"));
            awaitApi(0);

            // objects through the real API server, and plain keys
            for (int i = 0; i < 10; i++) {
                kubectl(0, "create", "configmap", "before-" + i, "--from-literal=n=" + i);
            }
            etcd1.put("/kubestead-test/before", "kept");

            // healthy: a restore is refused and changes nothing
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertEquals(0, kubestead(0, out, err, "etcd", "snapshot", "-o", "json"), err.toString());
            JsonNode saved = JSON.readTree(out.toString());
            String dir = saved.path("dir").asText();
            Path local = trees.get(0).resolve(dir.substring(1));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(local)));
            try (var files = Files.walk(local)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                }
            }
            assertTrue(Files.exists(local.resolve("pki/etcd/ca.key")) && Files.exists(local.resolve("pki/ca.key")));
            assertTrue(saved.path("revision").asLong() > 0 && saved.path("keys").asLong() > 10, saved.toString());
            ExecResult status = ok(hosts.get(0).run(Duration.ofMinutes(1), "etcdutl", "snapshot", "status", dir + "/snapshot.db",
                    "-w", "json"));
            assertEquals(saved.path("revision").asLong(), JSON.readTree(status.stdout()).path("revision").asLong());

            err = new StringWriter();
            assertEquals(2, kubestead(0, new StringWriter(), err, "etcd", "restore", dir), err.toString());
            assertTrue(err.toString().contains("healthy") && err.toString().contains("--force"), err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());

            // written after the snapshot: gone after the restore
            kubectl(0, "create", "configmap", "after");
            etcd1.put("/kubestead-test/after", "lost");

            // a majority destroyed: the machines off, their data gone
            for (int i = 1; i < 3; i++) {
                kubelets.get(i).close();
                deleteTree(trees.get(i).resolve("var/lib/etcd/member"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (etcd1.health(URI.create("https://" + addresses.get(0) + ":2379")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertFalse(etcd1.health(URI.create("https://" + addresses.get(0) + ":2379")), "quorum lost");

            out = new StringWriter();
            err = new StringWriter();
            assertEquals(0, kubestead(0, out, err, "etcd", "restore", dir, "-o", "json"), err + "\n" + out);
            JsonNode restored = JSON.readTree(out.toString());
            assertEquals(saved.path("revision").asLong(), restored.path("revision").asLong(), restored.toString());
            assertEquals(saved.path("keys").asLong(), restored.path("keys").asLong(), restored.toString());
            assertEquals(1, restored.path("members").size(), restored.toString());
            assertTrue(Files.isDirectory(trees.get(0).resolve(restored.path("previousDataDir").asText().substring(1))));
            assertEquals("kept", etcd1.get("/kubestead-test/before").orElseThrow());
            assertTrue(etcd1.get("/kubestead-test/after").isEmpty(), "a write after the snapshot came back");
            awaitApi(0);
            String cms = kubectl(0, "get", "configmaps", "-o", "name");
            for (int i = 0; i < 10; i++) {
                assertTrue(cms.contains("configmap/before-" + i), cms);
            }
            assertFalse(cms.contains("configmap/after"), cms);

            // the others come back as new members, one at a time
            for (int i = 1; i < 3; i++) {
                kubelets.set(i, new TestKubelet(hosts.get(i), tmp.resolve("logs"), Set.of("etcd")));
                out = new StringWriter();
                err = new StringWriter();
                assertEquals(0, kubestead(i, out, err, "etcd", "rejoin", "--endpoint", "https://" + addresses.get(0) + ":2379"),
                        err + "\n" + out);
            }
            List<EtcdMember> members = etcd1.members();
            assertEquals(Set.of("m1", "m2", "m3"), members.stream().map(EtcdMember::name).collect(Collectors.toSet()));
            assertTrue(members.stream().noneMatch(EtcdMember::learner), members.toString());
            EtcdClient etcd3 = etcdOf(2);
            awaitHealthy(etcd3, URI.create("https://" + addresses.get(2) + ":2379"));
            assertEquals("kept", etcd3.get("/kubestead-test/before").orElseThrow());
            System.out.println("EtcdRestoreRealTest: restored " + restored.path("keys").asLong() + " keys at revision "
                    + restored.path("revision").asLong() + "; members " + members);
        } finally {
            kubelets.forEach(TestKubelet::close);
        }
    }

    private EtcdClient etcdOf(int i) {
        return new LocalControlPlane(new RootedHost(hosts.get(i).name(), trees.get(i), hosts.get(i), new ActionLog()))
                .etcd(Duration.ofSeconds(5));
    }

    private static void awaitHealthy(EtcdClient etcd, URI url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!etcd.health(url)) {
            assertTrue(System.nanoTime() < deadline, "etcd " + url + " not healthy");
            Thread.sleep(300);
        }
    }

    private void awaitApi(int i) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!hosts.get(i).run(Duration.ofSeconds(20), "kubectl", "--kubeconfig", "/etc/kubernetes/super-admin.conf",
                "get", "--raw", "/readyz").ok()) {
            assertTrue(System.nanoTime() < deadline, "the API server did not become ready");
            Thread.sleep(1000);
        }
    }

    private String kubectl(int i, String... args) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", "/etc/kubernetes/super-admin.conf"));
        argv.addAll(List.of(args));
        return ok(hosts.get(i).run(Duration.ofMinutes(1), argv.toArray(String[]::new))).stdout();
    }

    private int kubestead(int i, StringWriter out, StringWriter err, String... args) {
        return TreeCommands.run(hosts.get(i), trees.get(i), tmp, out, err, args);
    }

    private void dryRun(Path tree, String address, String name, List<String> words) throws Exception {
        TreeCommands.dryRun(tmp, tree, address, name, words);
    }

    private static void deleteTree(Path dir) {
        NamespaceHost.deleteTree(dir);
    }

    private static ExecResult ok(ExecResult r) {
        return TreeCommands.ok(r);
    }
}
