package io.kubestead.agent.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.lb.HaproxyConfig;
import io.kubestead.agent.lb.HaproxyProcess;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.pki.Kubeconfig;
import io.kubestead.agent.realcluster.NamespaceHost;
import io.kubestead.agent.realcluster.TestBridge;
import io.kubestead.agent.realcluster.TestKubelet;
import io.kubestead.agent.realcluster.TreeCommands;
import io.kubestead.agent.upstream.UpstreamBinaries;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real masters (etcd 3.6 and kube-apiserver from kubeadm's manifests, run by {@link TestKubelet}) behind the
 * real haproxy with the configuration every node gets. {@code kubestead certs renew apiserver} starts on both
 * masters at once; the etcd lock makes them take turns, each restarting its API server and waiting for its
 * /readyz with the new certificate before the other begins. Meanwhile a client sends API requests through the
 * balancer, each on a new connection: none may fail.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RollingRenewalRealTest {
    @TempDir
    Path tmp;

    final List<Path> trees = new ArrayList<>();
    final List<NamespaceHost> hosts = new ArrayList<>();
    final List<TestKubelet> kubelets = new ArrayList<>();

    @Test
    void apiStaysAvailableThroughTheBalancerWhileBothMastersRenew() throws Exception {
        UpstreamBinaries.requireRoot();
        UpstreamBinaries.Release release = UpstreamBinaries.releases().get(0);
        Path binaries = null;
        for (String p : List.of("kubeadm", "kubectl", "etcd", "kube-apiserver")) {
            binaries = UpstreamBinaries.binary(release, p).getParent();
        }
        Files.createDirectories(tmp.resolve("logs"));
        try (TestBridge bridge = new TestBridge()) {
            List<String> names = List.of("m1", "m2");
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String address = bridge.nextAddress();
                addresses.add(address);
                Path tree = tmp.resolve(names.get(i));
                List<String> words = new ArrayList<>(List.of("install", "ha", "load-balancer-address=" + addresses.get(0) + ":6443",
                        "private-address=" + address, "node-name=" + names.get(i), "kubernetes-version=" + release.bare(), "yes"));
                if (i > 0) {
                    Path pki = trees.get(0).resolve("etc/kubernetes/pki");
                    words.addAll(List.of("ca-cert=" + pki.resolve("ca.crt"), "ca-key=" + pki.resolve("ca.key"),
                            "etcd-ca-cert=" + pki.resolve("etcd/ca.crt"), "etcd-ca-key=" + pki.resolve("etcd/ca.key"),
                            "front-proxy-ca-cert=" + pki.resolve("front-proxy-ca.crt"),
                            "front-proxy-ca-key=" + pki.resolve("front-proxy-ca.key")));
                }
                dryRun(tree, address, names.get(i), words);
                if (i > 0) { // one service-account signer for the cluster, as a joining master downloads it
                    for (String f : List.of("sa.key", "sa.pub")) {
                        Files.copy(trees.get(0).resolve("etc/kubernetes/pki/" + f), tree.resolve("etc/kubernetes/pki/" + f),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                trees.add(tree);
                NamespaceHost h = bridge.host(names.get(i), tree, tmp.resolve("scratch-" + names.get(i)), binaries);
                hosts.add(h);
                for (String phase : List.of("etcd local", "control-plane all")) {
                    List<String> argv = new ArrayList<>(List.of("kubeadm", "init", "phase"));
                    argv.addAll(List.of(phase.split(" ")));
                    argv.addAll(List.of("--config", "/etc/kubestead/kubeadm-init.yaml"));
                    ok(h.run(Duration.ofMinutes(2), argv.toArray(String[]::new)));
                }
            }
            String initial = names.get(0) + "=https://" + addresses.get(0) + ":2380," + names.get(1) + "=https://"
                    + addresses.get(1) + ":2380";
            for (Path tree : trees) {
                Path m = tree.resolve("etc/kubernetes/manifests/etcd.yaml");
                Files.writeString(m, StaticPodManifest.parse(m.toString(), Files.readAllBytes(m))
                        .withFlag("initial-cluster", initial).render());
            }
            for (NamespaceHost h : hosts) {
                kubelets.add(new TestKubelet(h, tmp.resolve("logs"), Set.of("etcd", "kube-apiserver",
                        "kube-controller-manager", "kube-scheduler")));
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path socket = tmp.resolve("haproxy.sock");
            String config = new HaproxyConfig(port, List.of(new Master("m1", addresses.get(0)), new Master("m2", addresses.get(1))),
                    Optional.empty(), Optional.empty()).withStatsSocket(socket.toString()).render();
            try (HaproxyProcess haproxy = HaproxyProcess.start(tmp, config, port, socket)) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (!haproxy.serverStates().values().stream().allMatch(s -> s.equals("UP"))
                        || haproxy.serverStates().size() != 2) {
                    assertTrue(System.nanoTime() < deadline, "both API servers up behind haproxy: " + haproxy.serverStates());
                    Thread.sleep(500);
                }
                Kubeconfig admin = Kubeconfig.parse(Files.readAllBytes(trees.get(0).resolve("etc/kubernetes/super-admin.conf")));
                SSLContext tls = PemTls.mutual(new String(admin.caPem(), StandardCharsets.UTF_8),
                        new String(admin.certPem(), StandardCharsets.UTF_8), new String(admin.keyPem(), StandardCharsets.UTF_8));
                byte[][] before = {Files.readAllBytes(trees.get(0).resolve("etc/kubernetes/pki/apiserver.crt")),
                    Files.readAllBytes(trees.get(1).resolve("etc/kubernetes/pki/apiserver.crt"))};

                AtomicBoolean measuring = new AtomicBoolean(true);
                AtomicInteger okCount = new AtomicInteger();
                AtomicInteger retried = new AtomicInteger();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                ExecutorService pool = Executors.newFixedThreadPool(3);
                Future<?> client = pool.submit(() -> {
                    while (measuring.get()) {
                        String failure = request(tls, port, retried);
                        if (failure == null) {
                            okCount.incrementAndGet();
                        } else {
                            failures.add(failure);
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                Thread.sleep(2000);
                long began = System.nanoTime();
                List<StringWriter> outs = List.of(new StringWriter(), new StringWriter());
                List<StringWriter> errs = List.of(new StringWriter(), new StringWriter());
                List<Future<Integer>> renewals = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    int n = i;
                    renewals.add(pool.submit(() -> kubestead(n, outs.get(n), errs.get(n), "certs", "renew", "apiserver")));
                }
                for (int i = 0; i < 2; i++) {
                    assertEquals(0, renewals.get(i).get(6, TimeUnit.MINUTES), errs.get(i) + "\n" + outs.get(i));
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                // all of one master's certificates: its controller-manager and scheduler restart too (seen on loopback)
                // (a controller-manager or scheduler may also exit by itself when its leader lease lapses while the
                // API servers restart, and the kubelet starts it again: count from here)
                int kcmBefore = kubelets.get(0).starts("kube-controller-manager");
                int schedulerBefore = kubelets.get(0).starts("kube-scheduler");
                StringWriter allOut = new StringWriter();
                StringWriter allErr = new StringWriter();
                assertEquals(0, kubestead(0, allOut, allErr, "certs", "renew", "all"), allErr + "\n" + allOut);
                assertTrue(allOut.toString().contains("restarted kube-apiserver, kube-controller-manager, kube-scheduler"),
                        allOut.toString());
                assertTrue(kubelets.get(0).starts("kube-controller-manager") > kcmBefore, allOut.toString());
                assertTrue(kubelets.get(0).starts("kube-scheduler") > schedulerBefore, allOut.toString());
                assertEquals(3, kubelets.get(0).starts("kube-apiserver"), allOut.toString());
                Thread.sleep(2000);
                measuring.set(false);
                client.get(1, TimeUnit.MINUTES);
                pool.shutdown();
                String all = outs.get(0) + "\n" + outs.get(1);
                for (int i = 0; i < 2; i++) {
                    assertNotEquals(new String(before[i], StandardCharsets.UTF_8),
                            Files.readString(trees.get(i).resolve("etc/kubernetes/pki/apiserver.crt")));
                    assertEquals(i == 0 ? 3 : 2, kubelets.get(i).starts("kube-apiserver"), "the restarts of " + names.get(i) + "'s API server");
                    assertTrue(outs.get(i).toString().contains("kube-apiserver is ready again"), outs.get(i).toString());
                }
                System.out.println("RollingRenewalRealTest: " + okCount.get() + " requests through the balancer during a"
                        + " rolling renewal of two masters (" + tookMs + " ms) and of all of m1's certificates, " + failures.size() + " failed "
                        + failures.stream().limit(5).toList() + ", " + retried.get() + " asked to retry (503 with Retry-After)");
                assertTrue(okCount.get() > 50, "requests were made: " + okCount.get());
                // Known gap (bench/README.md): an API server that stops closes its listener at once, and a connection
                // the kernel had accepted for it just before is reset mid-handshake, after HAProxy sent the request on
                // (too late to redispatch). Seen once in about 3000 requests in some runs; one such reset is let
                // through, anything else (two, a timeout, an HTTP error) fails. Without the turns 202 of 273 failed.
                List<String> unexpected = failures.stream()
                        .filter(f -> !f.equals("javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake")).toList();
                assertEquals(List.of(), unexpected, "failures other than a handshake cut by a closing listener");
                assertTrue(failures.size() <= 1, "more than one request failed: " + failures);
                assertTrue(all.contains("waiting for m1 to finish") || all.contains("waiting for m2 to finish"),
                        "the second master waited for the first: " + all);

                // etcd is not restarted: it serves a renewed certificate on its next connection by itself
                StringWriter etcdOut = new StringWriter();
                StringWriter etcdErr = new StringWriter();
                assertEquals(0, kubestead(0, etcdOut, etcdErr, "certs", "renew", "etcd-server"), etcdErr.toString());
                assertTrue(etcdOut.toString().contains("restarted nothing"), etcdOut.toString());
                LocalControlPlane cp1 = new LocalControlPlane(new RootedHost("m1", trees.get(0), hosts.get(0), new ActionLog()));
                java.security.cert.X509Certificate renewedEtcd = io.kubestead.agent.pki.Pem.certificate(
                        Files.readAllBytes(trees.get(0).resolve("etc/kubernetes/pki/etcd/server.crt")));
                assertEquals(renewedEtcd, cp1.probe(LocalControlPlane.ETCD).look().served().orElseThrow());
                assertEquals(1, kubelets.get(0).starts("etcd"), "etcd was not restarted");

                // the daily run: nothing is under 30 days, so nothing changes and nothing restarts
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                assertEquals(0, kubestead(0, out, err, "certs", "renew", "due"), err.toString());
                assertTrue(out.toString().contains("nothing to renew"), out.toString());
                assertEquals(3, kubelets.get(0).starts("kube-apiserver"));
            }
        } finally {
            kubelets.forEach(TestKubelet::close);
        }
    }

    /** One API request through the balancer on a new connection: null when it got 200. */
    /**
     * One GET on a new connection, as client-go makes it: a 429 or 5xx with Retry-After (an API server that began
     * shutting down answers 503 "apiserver is shutting down", Retry-After: 1) is asked again after that wait, up
     * to 3 times, and counted in {@code retried}. Null when it answered 200; else why not.
     */
    private static String request(SSLContext tls, int port, AtomicInteger retried) {
        String last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                HttpsURLConnection c = (HttpsURLConnection) new URL("https://127.0.0.1:" + port + "/api/v1/namespaces/default")
                        .openConnection();
                c.setSSLSocketFactory(tls.getSocketFactory());
                c.setHostnameVerifier((h, s) -> true); // the balancer's loopback address is no SAN; the CA is still checked
                c.setRequestProperty("Connection", "close");
                c.setConnectTimeout(5000);
                c.setReadTimeout(10000);
                int code = c.getResponseCode();
                String retryAfter = c.getHeaderField("Retry-After");
                java.io.InputStream body = code < 400 ? c.getInputStream() : c.getErrorStream();
                if (body != null) {
                    body.readAllBytes();
                }
                c.disconnect();
                if (code == 200) {
                    return null;
                }
                last = "HTTP " + code;
                if ((code != 429 && code < 500) || retryAfter == null) {
                    return last;
                }
                retried.incrementAndGet();
                Thread.sleep(Math.min(2, Math.max(1, Integer.parseInt(retryAfter.strip()))) * 1000L);
            } catch (Exception e) {
                return e.toString();
            }
        }
        return last + " after 3 attempts";
    }

    private int kubestead(int i, StringWriter out, StringWriter err, String... args) {
        return TreeCommands.run(hosts.get(i), trees.get(i), tmp, out, err, args);
    }

    private void dryRun(Path tree, String address, String name, List<String> words) throws Exception {
        TreeCommands.dryRun(tmp, tree, address, name, words);
    }

    private static ExecResult ok(ExecResult r) {
        return TreeCommands.ok(r);
    }
}
