package io.kubestead.agent.plan.phases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.cli.CliEnvironment;
import io.kubestead.agent.cli.Main;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.join.ControlPlaneAccess;
import io.kubestead.agent.join.ControlPlaneJoinGate;
import io.kubestead.agent.join.JoinGateSettings;
import io.kubestead.agent.join.ControlPlaneTarget;
import io.kubestead.agent.join.ExpiredCredentials;
import io.kubestead.agent.join.JoinGateException;
import io.kubestead.agent.join.KubeadmCerts;
import io.kubestead.agent.join.Sleeper;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.StateStore;
import io.kubestead.agent.realcluster.NamespaceHost;
import io.kubestead.agent.realcluster.RealControlPlane;
import io.kubestead.agent.realcluster.TestBridge;
import io.kubestead.agent.spec.InstallSpecJson;
import io.kubestead.agent.spec.Prompter;
import io.kubestead.agent.upstream.UpstreamBinaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our PKI, kubeconfigs, kubeadm configuration and post-init phases against the real Kubernetes: a dry-run tree of
 * a first master, kubeadm's own manifests for it, and etcd, kube-apiserver, kube-controller-manager and
 * kube-scheduler running as plain processes with exactly those command lines, in a test host with its own mount and
 * network namespaces. Then kubeadm's API-only post-init phases, ours, and joins from a second test host with the
 * material of our join script: real kubeadm discovery (the controller-manager's bootstrap signer signs cluster-info)
 * and certificate download, our own join path, two joiners racing for the lock, and wrong material refused.
 * Needs root and the binaries of tests/upstream/build.sh; the tests run in order on one control plane.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a safety net over the bounded waits inside
class RealControlPlaneTest {
    static final String NODE = "cp-1";
    static final String INIT_CONFIG = KubeadmConfigRenderer.INIT_CONFIG_PATH;
    static final ObjectMapper JSON = new ObjectMapper();

    Path tmp;
    /** The oldest release the upstream build makes; one control plane per run keeps the class within minutes. */
    UpstreamBinaries.Release release = UpstreamBinaries.releases().get(0);
    Path binaries;
    TestBridge bridge;
    NamespaceHost master;
    RealControlPlane controlPlane;
    Path treeA;
    Map<String, NamespaceHost> joiners = new HashMap<>();

    @BeforeAll
    void startControlPlane(@TempDir Path dir) throws Exception {
        tmp = dir;
        UpstreamBinaries.requireRoot();
        for (String program : List.of("kubeadm", "kubectl", "etcd", "kube-apiserver", "kube-controller-manager",
                "kube-scheduler")) {
            binaries = UpstreamBinaries.binary(release, program).getParent();
        }
        bridge = new TestBridge();
        String address = bridge.nextAddress();
        treeA = tmp.resolve("cp-1");
        dryRun(treeA, address, "install", "ha", "load-balancer-address=" + address + ":6443", "private-address=" + address,
                "node-name=" + NODE, "kubernetes-version=" + release.bare(), "yes");
        master = bridge.host(NODE, treeA, tmp.resolve("scratch-cp-1"), binaries);
        Files.createDirectories(tmp.resolve("logs"));
        controlPlane = new RealControlPlane(master, tmp.resolve("logs"));
        controlPlane.writeManifests(INIT_CONFIG);
        controlPlane.start(Duration.ofMinutes(3));
        System.out.println("RealControlPlaneTest: control plane ready " + controlPlane.startup().toMillis()
                + " ms after starting its processes");
    }

    @AfterAll
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    // --- step 3: the control plane on our PKI

    @Test
    @Order(1)
    void everyKubeconfigWeMadeAuthenticatesAsItsUser() throws Exception {
        Map<String, List<String>> expected = Map.of(
                "admin.conf", List.of("kubernetes-admin", "kubeadm:cluster-admins", "system:authenticated"),
                "super-admin.conf", List.of("kubernetes-super-admin", "system:masters", "system:authenticated"),
                "controller-manager.conf", List.of("system:kube-controller-manager", "system:authenticated"),
                "scheduler.conf", List.of("system:kube-scheduler", "system:authenticated"),
                "kubelet.conf", List.of("system:node:" + NODE, "system:nodes", "system:authenticated"));
        for (var e : expected.entrySet()) {
            JsonNode who = JSON.readTree(ok(master.run(Duration.ofMinutes(1), "kubectl", "--kubeconfig",
                    "/etc/kubernetes/" + e.getKey(), "auth", "whoami", "-o", "json")).stdout()).path("status").path("userInfo");
            assertEquals(e.getValue().get(0), who.path("username").asText(), e.getKey());
            Set<String> groups = new TreeSet<>();
            who.path("groups").forEach(g -> groups.add(g.asText()));
            assertEquals(new TreeSet<>(e.getValue().subList(1, e.getValue().size())), groups, e.getKey());
        }
    }

    @Test
    @Order(2)
    void kubeadmsPostInitPhasesRunAgainstIt() throws Exception {
        for (String phase : List.of("upload-config all", "upload-certs --upload-certs --skip-certificate-key-print",
                "bootstrap-token", "addon all")) {
            List<String> argv = new ArrayList<>(List.of("kubeadm", "init", "phase"));
            argv.addAll(List.of(phase.split(" ")));
            argv.addAll(List.of("--config", INIT_CONFIG));
            ok(master.run(Duration.ofMinutes(2), argv.toArray(String[]::new)));
        }
        String clusterConfig = kubectl("get", "configmap", "-n", "kube-system", "kubeadm-config", "-o",
                "jsonpath={.data.ClusterConfiguration}");
        assertTrue(clusterConfig.contains("controlPlaneEndpoint: api.kubernetes.kubestead.internal:6443"), clusterConfig);
        kubectl("get", "deployment", "-n", "kube-system", "coredns");
        kubectl("get", "daemonset", "-n", "kube-system", "kube-proxy");
        // what kubeadm uploaded decrypts with our certificate key to exactly our files
        JsonNode certs = JSON.readTree(kubectl("get", "secret", "-n", "kube-system", "kubeadm-certs", "-o", "json"));
        String key = secrets(treeA).path("certificateKey").asText();
        for (String name : List.of("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "etcd-ca.key")) {
            assertArrayEquals(Files.readAllBytes(treeA.resolve("etc/kubernetes/pki/" + name.replace("etcd-", "etcd/"))),
                    KubeadmCerts.file(certs, name, key), name);
        }
        // the bootstrap signer of the real controller-manager signs cluster-info for our token
        String tokenId = secrets(treeA).path("token").asText().substring(0, 6);
        awaitSignature(tokenId);
    }

    @Test
    @Order(3)
    void ourPostInitPhasesRunAgainstIt() throws Exception {
        PhaseContext ctx = context();
        new JoinLockRbacPhase().run(ctx);
        kubectl("get", "rolebinding", "-n", "kube-system", "kubestead:control-plane-join-lock");
        // the kubelet would register its Node; with its credentials we do what it does
        registerNode();
        ok(master.run(Duration.ofMinutes(2), "kubeadm", "init", "phase", "mark-control-plane", "--config", INIT_CONFIG));
        LabelsPhase.master(NODE).run(ctx);
        JsonNode labels = JSON.readTree(kubectl("get", "node", NODE, "-o", "json")).path("metadata").path("labels");
        assertEquals("master", labels.path("kubestead.io/role").asText());
        assertTrue(labels.path("kubestead.io/installed-by").asText().startsWith("kubestead-"), labels.toString());
        assertTrue(labels.has("node-role.kubernetes.io/control-plane"), labels.toString());

        Files.delete(treeA.resolve("var/lib/kubestead/join-master.sh"));
        new JoinScriptsPhase(InstallSpecJson.read(Files.readAllBytes(treeA.resolve("etc/kubestead/install.json"))),
                Optional.empty()).run(ctx);
        assertTrue(Files.readString(treeA.resolve("var/lib/kubestead/join-master.sh"))
                .contains(" masters=" + master.address() + " "), "the masters come from the cluster's nodes");

        String before = secrets(treeA).path("token").asText();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(env(out, err, true, master.address()), "join-script", "master"), err.toString());
        String after = secrets(treeA).path("token").asText();
        assertNotEquals(before, after);
        assertTrue(out.toString().contains("token=" + after), "the printed command carries the new token");
        kubectl("get", "secret", "-n", "kube-system", "bootstrap-token-" + after.substring(0, 6));
        JsonNode certs = JSON.readTree(kubectl("get", "secret", "-n", "kube-system", "kubeadm-certs", "-o", "json"));
        assertArrayEquals(Files.readAllBytes(treeA.resolve("etc/kubernetes/pki/ca.key")),
                KubeadmCerts.file(certs, "ca.key", secrets(treeA).path("certificateKey").asText()),
                "join-script master uploaded the certificates again under the new key");
        awaitSignature(after.substring(0, 6));
        assertEquals(0, Main.run(env(new StringWriter(), err, true, master.address()), "join-script", "worker"),
                err.toString());
        assertTrue(Files.readString(treeA.resolve("var/lib/kubestead/join-worker.sh")).contains("token="
                + secrets(treeA).path("token").asText()));
    }

    // --- step 4: joins with our join material

    @Test
    @Order(4)
    void kubeadmDiscoversAndDownloadsTheCertificatesWithOurJoinMaterial() throws Exception {
        NamespaceHost joiner = joiner("cp-2");
        ok(joiner.run(Duration.ofMinutes(3), "kubeadm", "join", "phase", "control-plane-prepare", "download-certs",
                "--config", KubeadmConfigRenderer.JOIN_CONFIG_PATH));
        for (String f : List.of("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
                "etcd/ca.crt", "etcd/ca.key")) {
            assertArrayEquals(Files.readAllBytes(treeA.resolve("etc/kubernetes/pki/" + f)),
                    Files.readAllBytes(joiner.tree().resolve("etc/kubernetes/pki/" + f)), f);
        }
    }

    @Test
    @Order(5)
    void ourJoinPathSucceedsAgainstTheRealApiServer() throws Exception {
        ControlPlaneAccess access = connect(target());
        assertEquals(controlPlane.caPem().strip(), access.clusterCa().strip());
        assertTrue(access.etcd().members().stream().anyMatch(m -> m.name().equals(NODE)), "etcd answers the minted client");
    }

    @Test
    @Order(6)
    void twoMastersRacingThroughTheJoinGateTakeTurnsAndBothBecomeEtcdVoters() throws Exception {
        ControlPlaneTarget target = target();
        List<long[]> held = Collections.synchronizedList(new ArrayList<>());
        List<NamespaceHost> racers = List.of(joiner("cp-2"), joiner("cp-3"));
        for (NamespaceHost racer : racers) {
            // kubeadm's own preparation of a joining master: the shared certificates, then its etcd and API certificates
            for (String phase : List.of("download-certs", "certs")) {
                ok(racer.run(Duration.ofMinutes(3), "kubeadm", "join", "phase", "control-plane-prepare", phase,
                        "--config", KubeadmConfigRenderer.JOIN_CONFIG_PATH));
            }
        }
        JoinGateSettings settings = new JoinGateSettings(Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMillis(500),
                Duration.ofSeconds(2));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<EtcdMember>> joins = new ArrayList<>();
            for (NamespaceHost racer : racers) {
                ControlPlaneAccess access = connect(target);
                ControlPlaneJoinGate gate = new ControlPlaneJoinGate(access.lock(Clock.systemUTC()), access.etcd(),
                        settings, Clock.systemUTC(), Sleeper.system(), m -> { });
                joins.add(pool.submit(() -> gate.join(racer.name(), () -> {
                    long start = System.nanoTime();
                    etcdJoin(racer, access.etcd());
                    held.add(new long[] {start, System.nanoTime()});
                })));
            }
            for (Future<EtcdMember> f : joins) {
                assertFalse(f.get(4, TimeUnit.MINUTES).learner());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, held.size());
        long[] a = held.get(0);
        long[] b = held.get(1);
        assertTrue(a[1] <= b[0] || b[1] <= a[0], "the two joins overlapped");
        ControlPlaneAccess access = connect(target);
        List<EtcdMember> members = access.etcd().members();
        assertEquals(Set.of(NODE, "cp-2", "cp-3"), members.stream().map(EtcdMember::name).collect(Collectors.toSet()));
        assertTrue(members.stream().noneMatch(EtcdMember::learner), members.toString());
        JsonNode lease = JSON.readTree(kubectl("get", "lease", "-n", "kube-system", "kubestead-control-plane-join",
                "-o", "json"));
        assertFalse(lease.path("spec").hasNonNull("holderIdentity"), "released: " + lease);
        assertEquals(Set.of(), Set.copyOf(controlPlane.stopped()), "the control plane kept running");
    }

    /**
     * What kubeadm's etcd join does to etcd: the member added as a learner (retried as kubeadm does), started with the first master's etcd
     * command line for this host (kubeadm writes the same manifest with --initial-cluster-state=existing), then
     * promoted once it has caught up.
     */
    private void etcdJoin(NamespaceHost host, EtcdClient etcd) throws Exception {
        List<EtcdMember> before = etcd.members();
        String peer = "https://" + host.address() + ":2380";
        // kubeadm retries the add every 500 ms for timeouts.etcdAPICall: etcd refuses it ("unhealthy cluster") until
        // a member promoted a moment ago has been connected for a few seconds
        EtcdMember learner = null;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); learner == null; ) {
            try {
                learner = etcd.addLearner(peer);
            } catch (EtcdException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
        List<String> cluster = new ArrayList<>();
        before.stream().filter(EtcdMember::started).forEach(m -> cluster.add(m.name() + "=" + m.peerUrls().get(0)));
        cluster.add(host.name() + "=" + peer);
        List<String> argv = new ArrayList<>();
        for (String arg : controlPlane.command("etcd")) {
            if (arg.startsWith("--name=")) {
                argv.add("--name=" + host.name());
            } else if (arg.startsWith("--initial-cluster=")) {
                argv.add("--initial-cluster=" + String.join(",", cluster));
            } else {
                argv.add(arg.replace(master.address(), host.address()));
            }
        }
        argv.add("--initial-cluster-state=existing");
        host.start(argv, tmp.resolve("logs/etcd-" + host.name() + ".log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                etcd.promote(learner.id());
                return;
            } catch (EtcdException e) {
                if (!e.learnerNotInSync() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    @Order(7)
    void wrongMaterialFailsSayingToRunJoinScript() throws Exception {
        ControlPlaneTarget good = target();
        String goodToken = good.token();
        String unknownToken = "zzzzzz" + goodToken.substring(6);
        String wrongSecret = goodToken.substring(0, 7) + (goodToken.charAt(7) == 'a' ? 'b' : 'a') + goodToken.substring(8);
        String otherKey = "ab".repeat(32);
        String otherHash = "sha256:" + "ab".repeat(32);
        for (ControlPlaneTarget bad : List.of(
                new ControlPlaneTarget(good.api(), unknownToken, good.caHash(), good.certificateKey(), good.etcd()),
                new ControlPlaneTarget(good.api(), wrongSecret, good.caHash(), good.certificateKey(), good.etcd()),
                new ControlPlaneTarget(good.api(), goodToken, otherHash, good.certificateKey(), good.etcd()),
                new ControlPlaneTarget(good.api(), goodToken, good.caHash(), otherKey, good.etcd()))) {
            JoinGateException e = assertThrows(JoinGateException.class, () -> connect(bad));
            assertTrue(e.getMessage().contains("kubestead join-script master"), e.getMessage());
        }
        // real kubeadm with a wrong certificate key: its error is one the join explains the same way
        NamespaceHost joiner = joiner("cp-4");
        Path config = joiner.tree().resolve("etc/kubestead/kubeadm-join.yaml");
        String yaml = Files.readString(config);
        Files.writeString(config, yaml.replace(good.certificateKey(), otherKey));
        ExecResult r = joiner.run(Duration.ofMinutes(3), "kubeadm", "join", "phase", "control-plane-prepare",
                "download-certs", "--config", KubeadmConfigRenderer.JOIN_CONFIG_PATH);
        assertFalse(r.ok());
        assertTrue(ExpiredCredentials.explain(r.stdout() + r.stderr(), ExpiredCredentials.Role.MASTER).isPresent(),
                r.stderr());
        // real kubeadm with a token the cluster does not know, and with a CA hash of another cluster (15 s discovery)
        for (String[] swap : List.of(new String[] {goodToken, unknownToken}, new String[] {good.caHash(), otherHash})) {
            Files.writeString(config, yaml.replace(swap[0], swap[1]).replace("discovery: 5m0s", "discovery: 15s"));
            ExecResult wrong = joiner.run(Duration.ofMinutes(2), "kubeadm", "join", "phase", "control-plane-prepare",
                    "download-certs", "--config", KubeadmConfigRenderer.JOIN_CONFIG_PATH);
            assertFalse(wrong.ok());
            boolean token = swap[0].equals(goodToken);
            // an unknown token is explained as expired; a CA of another cluster is not, kubeadm's own line stands
            assertEquals(token, ExpiredCredentials.explain(wrong.stderr(), ExpiredCredentials.Role.MASTER).isPresent(),
                    wrong.stderr());
            assertTrue(wrong.stderr().contains(token ? "could not find a JWS signature" : "are pinned"), wrong.stderr());
        }
    }

    // --- helpers

    private ControlPlaneAccess connect(ControlPlaneTarget target) {
        return ControlPlaneAccess.connect(target, Clock.systemUTC(), Sleeper.system(), new SecureRandom(),
                Duration.ofSeconds(10), Duration.ofSeconds(5), m -> { });
    }

    /** The join words of our master join script, aimed at the API server's address (this JVM has no hosts entry). */
    private ControlPlaneTarget target() throws Exception {
        Map<String, String> w = joinWords();
        return new ControlPlaneTarget(controlPlane.apiServer(), w.get("token"), w.get("ca-hash"), w.get("cert-key"),
                List.of(URI.create("https://" + master.address() + ":2379")));
    }

    private Map<String, String> joinWords() throws Exception {
        String script = Files.readString(treeA.resolve("var/lib/kubestead/join-master.sh"));
        // the script's command line ends in "$@" (words given to the script), which bash expands away
        String line = script.lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow().replace(" \"$@\"", "");
        Map<String, String> words = new HashMap<>();
        for (String word : line.substring(line.indexOf(" join ") + 6).split(" ")) {
            int eq = word.indexOf('=');
            words.put(eq < 0 ? word : word.substring(0, eq), eq < 0 ? "" : word.substring(eq + 1));
        }
        return words;
    }

    /** A second host with the dry-run of `kubestead join` for our master join script's words. */
    private NamespaceHost joiner(String name) throws Exception {
        if (joiners.containsKey(name)) {
            return joiners.get(name);
        }
        String script = Files.readString(treeA.resolve("var/lib/kubestead/join-master.sh"));
        // the script's command line ends in "$@" (words given to the script), which bash expands away
        String line = script.lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow().replace(" \"$@\"", "");
        List<String> words = new ArrayList<>(List.of(line.substring(line.indexOf(" join ") + 1).split(" ")));
        String address = bridge.nextAddress();
        words.addAll(List.of("node-name=" + name, "private-address=" + address));
        Path tree = tmp.resolve(name);
        dryRun(tree, address, words.toArray(String[]::new));
        NamespaceHost host = bridge.host(name, tree, tmp.resolve("scratch-" + name), binaries);
        joiners.put(name, host);
        return host;
    }

    private void dryRun(Path tree, String address, String... words) throws Exception {
        // the host file a real machine starts with; the install adds its block to it (the tree is claimed as a
        // dry-run tree first: a dry run refuses a directory that holds anything else)
        io.kubestead.agent.spec.DryRunDir.claim(tree);
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
        List<String> args = new ArrayList<>(List.of(words));
        args.add("dry-run=" + tree);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(env(out, err, false, address), args.toArray(String[]::new));
        assertEquals(0, code, "dry-run " + args + ": " + err);
    }

    private CliEnvironment env(StringWriter out, StringWriter err, boolean root, String address) {
        return new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new HostFacts(NODE, address, "apt"), Prompter.NONE, tmp, Clock.systemUTC(), root, false,
                (ActionLog log) -> new RootedHost(NODE, treeA, master, log), Map.of(), Duration.ZERO);
    }

    private PhaseContext context() {
        ActionLog log = new ActionLog();
        RootedHost host = new RootedHost(NODE, treeA, master, log);
        StringWriter sink = new StringWriter();
        return new PhaseContext(host, new ConsoleProgress(new PrintWriter(sink), new PrintWriter(sink), false), log,
                Clock.systemUTC(), false, new StateStore(host));
    }

    private void registerNode() throws Exception {
        String node = """
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "%s", "labels": {"kubernetes.io/hostname": "%s"}},
                 "status": {"addresses": [{"type": "InternalIP", "address": "%s"}, {"type": "Hostname", "address": "%s"}]}}
                """.formatted(NODE, NODE, master.address(), NODE);
        Files.writeString(treeA.resolve("etc/kubestead/test-node.json"), node);
        ok(master.run(Duration.ofMinutes(1), "kubectl", "--kubeconfig", "/etc/kubernetes/kubelet.conf", "create", "-f",
                "/etc/kubestead/test-node.json"));
        JsonNode created = JSON.readTree(kubectl("get", "node", NODE, "-o", "json"));
        if (!created.path("status").path("addresses").isArray() || created.path("status").path("addresses").isEmpty()) {
            ok(master.run(Duration.ofMinutes(1), "kubectl", "--kubeconfig", "/etc/kubernetes/kubelet.conf", "patch",
                    "node", NODE, "--subresource=status", "--type=merge", "-p", JSON.writeValueAsString(
                            JSON.readTree(node).get("status").deepCopy() instanceof ObjectNode s
                                    ? JSON.createObjectNode().set("status", s) : null)));
        }
    }

    private void awaitSignature(String tokenId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            JsonNode data = JSON.readTree(kubectl("get", "configmap", "-n", "kube-public", "cluster-info", "-o", "json"))
                    .path("data");
            if (data.has("jws-kubeconfig-" + tokenId)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no signature for token " + tokenId + " in cluster-info: "
                    + data.toString().replaceAll("\"kubeconfig\":\"[^\"]*\"", "kubeconfig") + "\n" + controlPlane.logTail("kube-controller-manager"));
            Thread.sleep(500);
        }
    }

    private static JsonNode secrets(Path tree) throws Exception {
        return JSON.readTree(tree.resolve("var/lib/kubestead/join-secrets.json").toFile());
    }

    private String kubectl(String... args) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"));
        argv.addAll(List.of(args));
        return ok(master.run(Duration.ofMinutes(1), argv.toArray(String[]::new))).stdout();
    }

    private static ExecResult ok(ExecResult r) {
        assertTrue(r.ok(), String.join(" ", r.command().argv()) + " exited " + r.exitCode() + ":\n" + r.stdout()
                + r.stderr());
        return r;
    }
}
