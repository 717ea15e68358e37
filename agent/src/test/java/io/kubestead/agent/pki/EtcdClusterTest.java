package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real three-member etcd cluster on loopback, each member on its own generated server and peer certificates
 * (first node made by init, the other two as joining control planes with the shared CAs), client and peer
 * certificate auth on, reached by etcdctl with the generated client certificates.
 */
class EtcdClusterTest {
    private static final String[] NAMES = {"cp1", "cp2", "cp3"};

    @TempDir
    Path dir;
    final List<Process> members = new ArrayList<>();

    @AfterEach
    void stopMembers() throws InterruptedException {
        for (Process p : members) {
            p.destroy();
        }
        for (Process p : members) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void clusterRunsOnTheGeneratedCertificatesAndRefusesAnotherCa() throws Exception {
        KubernetesVersion v = KubernetesVersion.parse("1.33.0");
        Path[] roots = new Path[3];
        for (int i = 0; i < 3; i++) {
            roots[i] = dir.resolve(NAMES[i]);
            PkiRequest req = PkiRequest.defaults(NAMES[i], "127.0.0.1", v);
            if (i > 0) {
                copyShared(roots[0], roots[i]);
                req = req.joining();
            }
            generate(roots[i], req);
        }
        int[] client = new int[3];
        int[] peer = new int[3];
        for (int i = 0; i < 3; i++) {
            client[i] = KubectlTlsTest.freePort();
            peer[i] = KubectlTlsTest.freePort();
        }
        String initialCluster = java.util.stream.IntStream.range(0, 3)
                .mapToObj(i -> NAMES[i] + "=https://127.0.0.1:" + peer[i]).collect(Collectors.joining(","));
        for (int i = 0; i < 3; i++) {
            members.add(startMember(i, pki(roots[i]), client[i], peer[i], initialCluster));
        }
        String endpoints = java.util.Arrays.stream(client).mapToObj(p -> "https://127.0.0.1:" + p)
                .collect(Collectors.joining(","));
        Path etcdPki = pki(roots[0]).resolve("etcd");

        ExecResult health = waitHealthy(endpoints, etcdPki, etcdPki.resolve("healthcheck-client"));
        // etcdctl 3.4 reports health on stderr
        assertEquals(3, (health.stdout() + health.stderr()).lines().filter(l -> l.contains("is healthy")).count(), health.stdout() + health.stderr());

        Path apiClient = pki(roots[0]).resolve("apiserver-etcd-client");
        ExecResult put = etcdctl(endpoints, etcdPki.resolve("ca.crt"), apiClient, "put", "/kubestead/test", "hello");
        assertEquals("OK\n", put.stdout(), put.stderr());
        // read back through another member, with the second node's own client certificate
        ExecResult get = etcdctl("https://127.0.0.1:" + client[2], etcdPki.resolve("ca.crt"),
                pki(roots[2]).resolve("apiserver-etcd-client"), "get", "/kubestead/test", "--print-value-only");
        assertEquals("hello\n", get.stdout(), get.stderr());

        Path foreign = dir.resolve("foreign");
        generate(foreign, PkiRequest.defaults("x", "127.0.0.1", v).withKeyAlgorithm(KeyAlgorithm.ECDSA_P256));
        ExecResult refused = etcdctl("https://127.0.0.1:" + client[0], etcdPki.resolve("ca.crt"),
                pki(foreign).resolve("etcd/healthcheck-client"), "get", "/kubestead/test");
        assertNotEquals(0, refused.exitCode(), refused.stdout());
        assertTrue(member0Log().contains("tls: failed to verify client certificate: x509: certificate signed by unknown authority"),
                refused.stderr() + member0Log());
    }

    private ExecResult waitHealthy(String endpoints, Path etcdPki, Path client) throws InterruptedException {
        ExecResult last = null;
        for (int i = 0; i < 150; i++) {
            last = etcdctl(endpoints, etcdPki.resolve("ca.crt"), client, "endpoint", "health");
            if (last.exitCode() == 0) {
                return last;
            }
            for (Process p : members) {
                assertTrue(p.isAlive(), () -> "an etcd member exited: " + member0Log());
            }
            Thread.sleep(200);
        }
        return last;
    }

    private static ExecResult etcdctl(String endpoints, Path ca, Path client, String... cmd) {
        List<String> argv = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints, "--cacert=" + ca,
                "--cert=" + client + ".crt", "--key=" + client + ".key", "--dial-timeout=3s", "--command-timeout=5s"));
        argv.addAll(List.of(cmd));
        return run(argv.toArray(String[]::new));
    }

    private Process startMember(int i, Path pki, int clientPort, int peerPort, String initialCluster) throws Exception {
        Path etcd = pki.resolve("etcd");
        List<String> argv = List.of("etcd", "--name=" + NAMES[i], "--data-dir=" + dir.resolve("data-" + i),
                "--listen-client-urls=https://127.0.0.1:" + clientPort, "--advertise-client-urls=https://127.0.0.1:" + clientPort,
                "--listen-peer-urls=https://127.0.0.1:" + peerPort, "--initial-advertise-peer-urls=https://127.0.0.1:" + peerPort,
                "--initial-cluster=" + initialCluster, "--initial-cluster-state=new", "--initial-cluster-token=kubestead-test",
                "--cert-file=" + etcd.resolve("server.crt"), "--key-file=" + etcd.resolve("server.key"),
                "--trusted-ca-file=" + etcd.resolve("ca.crt"), "--client-cert-auth=true",
                "--peer-cert-file=" + etcd.resolve("peer.crt"), "--peer-key-file=" + etcd.resolve("peer.key"),
                "--peer-trusted-ca-file=" + etcd.resolve("ca.crt"), "--peer-client-cert-auth=true",
                "--listen-metrics-urls=", "--logger=zap", "--log-outputs=stderr");
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd-" + i + ".log").toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("etcd is not installed (Debian etcd-server): " + e.getMessage());
        }
    }

    private String member0Log() {
        return KubectlTlsTest.read(dir.resolve("etcd-0.log"));
    }

    private static void copyShared(Path from, Path to) throws java.io.IOException {
        for (String f : List.of("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
                "etcd/ca.crt", "etcd/ca.key")) {
            Files.createDirectories(pki(to).resolve(f).getParent());
            Files.copy(pki(from).resolve(f), pki(to).resolve(f));
        }
    }
}
