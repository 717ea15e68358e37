package io.kubestead.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.cli.CliEnvironment;
import io.kubestead.agent.cli.Main;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.EtcdTestCluster;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.join.ClusterNodes;
import io.kubestead.agent.join.HttpKubeApi;
import io.kubestead.agent.join.LeaseLock;
import io.kubestead.agent.join.Sleeper;
import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.HaproxyConfig;
import io.kubestead.agent.lb.KeepalivedConfig;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.lb.Vip;
import io.kubestead.agent.realcluster.ClusterObjects;
import io.kubestead.agent.realcluster.NamespaceHost;
import io.kubestead.agent.realcluster.RealControlPlane;
import io.kubestead.agent.realcluster.TestBridge;
import io.kubestead.agent.spec.LoadBalancer;
import io.kubestead.agent.spec.Prompter;
import io.kubestead.agent.status.BackendProbe;
import io.kubestead.agent.status.ClusterStatus;
import io.kubestead.agent.status.EtcdMemberStatus;
import io.kubestead.agent.status.PurgeRecord;
import io.kubestead.agent.status.StatusCollector;
import io.kubestead.agent.upstream.UpstreamBinaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
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
 * {@code kubestead status} and {@code kubestead node purge} against a real API server and real etcd: the control
 * plane of {@link RealControlPlane} (kubeadm's manifests of a first master, run as processes in a test host), on
 * which the test posts Node objects as their kubelets would (a lost node is one whose Ready condition went Unknown
 * long ago and whose addresses answer nothing) and pods with requests; and for the masters' etcd guards, three
 * real etcd members each in its own network namespace, whose addresses the master Nodes carry. Needs root and the
 * binaries of tests/upstream/build.sh; the tests run in order on one control plane.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OperateRealClusterTest {
    static final String NODE = "cp-1";
    static final ObjectMapper JSON = new ObjectMapper();

    Path tmp;
    UpstreamBinaries.Release release = UpstreamBinaries.releases().get(0);
    TestBridge bridge;
    NamespaceHost master;
    RealControlPlane controlPlane;
    Path tree;
    HttpKubeApi admin;
    ClusterObjects objects;
    String subnet;
    EtcdTestCluster etcd3;
    Map<String, EtcdTestCluster.Node> members = new java.util.HashMap<>();

    @BeforeAll
    void startControlPlane(@TempDir Path dir) throws Exception {
        tmp = dir;
        UpstreamBinaries.requireRoot();
        Path binaries = null;
        for (String program : List.of("kubeadm", "kubectl", "etcd", "kube-apiserver", "kube-controller-manager",
                "kube-scheduler")) {
            binaries = UpstreamBinaries.binary(release, program).getParent();
        }
        bridge = new TestBridge();
        String address = bridge.nextAddress();
        subnet = address.substring(0, address.lastIndexOf('.') + 1);
        tree = tmp.resolve(NODE);
        io.kubestead.agent.spec.DryRunDir.claim(tree);
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n");
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(env(new StringWriter(), err, false, address), "install", "ha",
                "load-balancer-address=" + address + ":6443", "private-address=" + address, "node-name=" + NODE,
                "kubernetes-version=" + release.bare(), "yes", "dry-run=" + tree), err.toString());
        master = bridge.host(NODE, tree, tmp.resolve("scratch"), binaries);
        Files.createDirectories(tmp.resolve("logs"));
        controlPlane = new RealControlPlane(master, tmp.resolve("logs"));
        controlPlane.writeManifests(io.kubestead.agent.kubeadm.KubeadmConfigRenderer.INIT_CONFIG_PATH);
        controlPlane.start(Duration.ofMinutes(3));
        // as kubeadm init does on its first API call: admin.conf's group becomes cluster-admin (with super-admin.conf)
        RealControlPlaneCheck.ok(master.run(Duration.ofMinutes(2), "kubeadm", "init", "phase", "upload-config", "kubeadm",
                "--config", io.kubestead.agent.kubeadm.KubeadmConfigRenderer.INIT_CONFIG_PATH));
        admin = HttpKubeApi.fromKubeconfig(Files.readAllBytes(tree.resolve("etc/kubernetes/admin.conf")),
                Optional.of(controlPlane.apiServer()), Duration.ofSeconds(10));
        objects = new ClusterObjects(admin, release.version());
    }

    @AfterAll
    void stop() {
        if (etcd3 != null) {
            etcd3.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    // --- status

    @Test
    @Order(1)
    void statusShowsTheRealClusterWithAdviceAndExitsOne() throws Exception {
        Instant now = Instant.now();
        objects.postNode(NODE, true, master.address(), "True", now, now.minusSeconds(600), "4", "8Gi");
        objects.postNode("w-busy", false, subnet + "200", "True", now, now.minusSeconds(600), "2", "4Gi");
        objects.createPod("big", "w-busy", "1600m", "1Gi");
        objects.createPod("app", NODE, "100m", "64Mi");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(1, Main.run(env(out, err, true, master.address()), "status", "-o", "json", "--api-server",
                controlPlane.apiServer().toString(), "--etcd-endpoint", "https://" + master.address() + ":2379"), err.toString());
        JsonNode s = JSON.readTree(out.toString());
        JsonNode cp = ClusterObjects.find(s.path("nodes"), "name", NODE);
        assertEquals("master", cp.path("role").asText());
        assertEquals("True", cp.path("ready").asText());
        JsonNode busy = ClusterObjects.find(s.path("nodes"), "name", "w-busy");
        assertEquals("worker", busy.path("role").asText());
        assertEquals(1600, busy.path("requested").path("cpuMillis").asLong());
        assertEquals(2000, busy.path("allocatable").path("cpuMillis").asLong());
        // the real etcd of the control plane: one healthy voter, its leader, a real database size
        JsonNode etcd = s.path("etcd");
        assertEquals(1, etcd.path("voters").asInt());
        assertTrue(etcd.path("hasQuorum").asBoolean());
        assertEquals(0, etcd.path("failuresTolerable").asInt());
        assertEquals(NODE, etcd.path("leader").asText());
        assertTrue(etcd.path("members").path(0).path("dbSizeBytes").asLong() > 0, etcd.toString());
        // the balancer as recorded for this master (external, its own address), each backend's /readyz probed
        assertEquals("external", s.path("balancer").path("mode").asText());
        assertTrue(ClusterObjects.find(s.path("balancer").path("backends"), "name", NODE).path("healthy").asBoolean(), s.path("balancer").toString());
        assertTrue(ClusterObjects.find(s.path("balancer").path("backends"), "name", "load-balancer").path("healthy").asBoolean());
        long apiserver = ClusterObjects.find(s.path("certificates"), "name", "apiserver").path("remainingSeconds").asLong();
        assertTrue(apiserver > Duration.ofDays(360).toSeconds(), "apiserver certificate: " + apiserver);
        assertTrue(ClusterObjects.find(s.path("joinScripts"), "role", "worker").path("present").asBoolean());
        List<String> advice = new ArrayList<>();
        s.path("advice").forEach(a -> advice.add(a.path("kind").asText() + " " + a.path("subject").asText()));
        assertTrue(advice.containsAll(List.of("MASTER_COUNT cluster", "MASTERS_CARRY_WORKLOADS " + NODE,
                "WORKER_CAPACITY w-busy")), advice.toString());
        assertFalse(advice.stream().anyMatch(a -> a.startsWith("ETCD") || a.startsWith("API")), advice.toString());

        StringWriter text = new StringWriter();
        assertEquals(1, Main.run(env(text, err, true, master.address()), "status", "--api-server",
                controlPlane.apiServer().toString(), "--etcd-endpoint", "https://" + master.address() + ":2379"));
        assertTrue(text.toString().contains("ETCD: 1 of 1 voters healthy, quorum 1, tolerates 0 more failures, leader "
                + NODE), text.toString());
        assertTrue(text.toString().contains("why: pods on w-busy request CPU 80% (1600m of 2000m)"), text.toString());
    }

    // --- purging a worker

    @Test
    @Order(2)
    void aWorkerThatStillAnswersIsRefusedAndALostOneIsPurged() throws Exception {
        Instant now = Instant.now();
        objects.postNode("w-live", false, subnet + "201", "True", now, now.minusSeconds(3600), "2", "4Gi");
        objects.nodeLease("w-live", now);
        objects.postNode("w-gone", false, subnet + "202", "Unknown", now.minusSeconds(7200), now.minusSeconds(7100), "2", "4Gi");
        objects.createPod("stuck", "w-gone", "100m", "64Mi");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(3, purge(out, err, "w-live"), err.toString());
        assertTrue(err.toString().contains("w-live still answers: its Ready condition is True"), err.toString());
        assertTrue(err.toString().contains("its kubelet renewed its Lease"), err.toString());
        assertTrue(admin.get("/api/v1/nodes/w-live").isPresent(), "refused: the Node stays");

        out = new StringWriter();
        err = new StringWriter();
        assertEquals(0, purge(out, err, "w-gone"), err.toString());
        assertTrue(out.toString().contains("deleted Node w-gone"), out.toString());
        assertTrue(admin.get("/api/v1/nodes/w-gone").isEmpty());
        JsonNode events = admin.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dw-gone").orElseThrow();
        JsonNode event = ClusterObjects.find(events.path("items"), "reason", "NodePurged");
        assertTrue(event.path("message").asText().startsWith("w-gone was purged from the cluster at"), event.toString());
        assertEquals("Node", event.path("involvedObject").path("kind").asText());
        assertTrue(PurgeRecord.find(admin, "w-gone").isPresent());
        Path log;
        try (Stream<Path> logs = Files.list(tree.resolve("var/log/kubestead"))) {
            log = logs.filter(p -> p.getFileName().toString().startsWith("node-purge-")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        assertTrue(Files.readString(log).contains("deleted Node w-gone"), Files.readString(log));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));

        // never the node it runs on, even with --force: that is what reset is for
        err = new StringWriter();
        assertEquals(2, Main.run(env(new StringWriter(), err, true, master.address()), "node", "purge", NODE, "--force",
                "--api-server", controlPlane.apiServer().toString()), err.toString());
        assertTrue(err.toString().contains(NODE + " is the node this runs on"), err.toString());

        // --force purges a node that answers, with a warning
        err = new StringWriter();
        assertEquals(0, Main.run(env(new StringWriter(), err, true, master.address()), "node", "purge", "w-live",
                "--force", "--api-server", controlPlane.apiServer().toString(), "--etcd-endpoint",
                "https://" + master.address() + ":2379"), err.toString());
        assertTrue(err.toString().contains("WARNING: --force: purging w-live although w-live still answers"), err.toString());
        assertTrue(admin.get("/api/v1/nodes/w-live").isEmpty());

        // the real pod garbage collector deletes the pods bound to the deleted Node: they can start elsewhere
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (admin.get("/api/v1/namespaces/default/pods/stuck").isPresent()) {
            assertTrue(System.nanoTime() < deadline, "the pod of the purged node is still there");
            Thread.sleep(1000);
        }

        // w-gone's host comes back and its kubelet registers it again: status says to reset it and join it again
        Thread.sleep(1100); // creation times have whole seconds
        objects.postNode("w-gone", false, subnet + "202", "True", Instant.now(), Instant.now(), "2", "4Gi");
        out = new StringWriter();
        assertEquals(1, Main.run(env(out, new StringWriter(), true, master.address()), "status", "-o", "json",
                "--api-server", controlPlane.apiServer().toString(), "--etcd-endpoint", "https://" + master.address() + ":2379"));
        JsonNode back = ClusterObjects.find(JSON.readTree(out.toString()).path("advice"), "kind", "PURGED_NODE_BACK");
        assertEquals("w-gone", back.path("subject").asText());
        assertTrue(back.path("advice").asText().contains("kubestead reset"), back.toString());
    }

    // --- purging a master: etcd quorum, the balancers' source of truth, the master that comes back

    @Test
    @Order(3)
    void aMasterIsPurgedOnlyWhenLostAndWhenEtcdKeepsQuorum() throws Exception {
        etcd3 = EtcdTestCluster.inNamespaces(tmp.resolve("etcd3"));
        members.put("cp-a", etcd3.startFirst("cp-a"));
        EtcdClient client = etcd3.client(members.get("cp-a"));
        for (String name : List.of("cp-b", "cp-c")) {
            EtcdTestCluster.Ports ports = etcd3.reservePorts(name);
            EtcdMember learner = ClusterObjects.retry(() -> client.addLearner(ports.peerUrl()));
            members.put(name, etcd3.startJoining(name, ports, client.members()));
            ClusterObjects.retry(() -> {
                client.promote(learner.id());
                return learner;
            });
        }
        Instant now = Instant.now();
        for (String name : List.of("cp-a", "cp-b", "cp-c")) {
            String addr = URI.create(members.get(name).clientUrl()).getHost();
            objects.postNode(name, true, addr, "Unknown", now.minusSeconds(7200), now.minusSeconds(7100), "4", "8Gi");
        }
        // status on a master whose own etcd does not answer asks the members through the other masters' addresses
        SSLContext etcdTls = PemTls.mutual(etcd3.clientFiles().ca(),
                etcd3.clientFiles().cert(), etcd3.clientFiles().key());
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ClusterStatus seen = new StatusCollector(
                new RootedHost(NODE, tree, master, new ActionLog()), admin,
                new EtcdClient(List.of(URI.create("https://127.0.0.1:" + closed)), etcdTls, Duration.ofSeconds(2)),
                hostPort -> new BackendProbe.Answer(true, "not probed"), Clock.systemUTC(),
                urls -> new EtcdClient(urls, etcdTls, Duration.ofSeconds(3))).collect();
        assertEquals(NODE, seen.collectedOn());
        assertEquals(List.of("cp-a", "cp-b", "cp-c"), seen.etcd().members().stream()
                .map(io.kubestead.agent.status.EtcdMemberStatus::name).sorted().toList());
        assertEquals(1, seen.etcd().failuresTolerable(), seen.etcd().toString());
        assertTrue(seen.etcd().leader().isPresent());

        EtcdClient all = etcd3.client(members.get("cp-a"), members.get("cp-b"), members.get("cp-c"));
        NodePurge purge = new NodePurge(admin, all, PortProbe.tcp(Duration.ofSeconds(2)), Clock.systemUTC(), Sleeper.system());

        PurgeCheck alive = purge.check("cp-c");
        assertTrue(alive.master());
        assertTrue(alive.signsOfLife().stream().anyMatch(l -> l.contains(":2380 accepts connections")), alive.toString());
        assertTrue(alive.signsOfLife().stream().anyMatch(l -> l.contains("etcd member cp-c")), alive.toString());
        assertThrows(PurgeRefusedException.class, () -> purge.purge(alive, false, "test", m -> { }, m -> { }));

        // two of three lost: the survivor has no leader (its health check fails too), so removing a member cannot even
        // be committed
        etcd3.kill(members.get("cp-b"));
        etcd3.kill(members.get("cp-c"));
        PurgeCheck noQuorum = purge.check("cp-c");
        assertEquals(List.of(), noQuorum.signsOfLife());
        assertTrue(noQuorum.quorumProblem().orElseThrow().contains("healthy of 3 voting members, below its quorum of 2"), noQuorum.quorumProblem().toString());
        PurgeRefusedException refused = assertThrows(PurgeRefusedException.class,
                () -> purge.purge(noQuorum, false, "test", m -> { }, m -> { }));
        assertTrue(refused.getMessage().contains("restore etcd from a snapshot"), refused.getMessage());
        assertEquals(3, client.members().size(), "refused: nothing removed");

        members.put("cp-b", etcd3.restart(members.get("cp-b")));
        etcd3.awaitHealthy(members.get("cp-b"));
        PurgeCheck lost = purge.check("cp-c");
        assertTrue(lost.safe(), lost.refusals().toString());
        List<String> said = new ArrayList<>();
        purge.purge(lost, false, "kubestead node purge on " + NODE, said::add, said::add);
        assertEquals(List.of("cp-a", "cp-b"), client.members().stream().map(EtcdMember::name).sorted().toList());
        assertTrue(admin.get("/api/v1/nodes/cp-c").isEmpty());
        assertTrue(said.stream().anyMatch(l -> l.startsWith("removed etcd member cp-c")), said.toString());

        // what every node's lb-sync asks (kubectl for the control-plane Nodes) no longer names cp-c, so no balancer
        // backend and no keepalived peer list made from it does
        String cAddress = URI.create(members.get("cp-c").clientUrl()).getHost();
        RootedHost host = new RootedHost(NODE, tree, master, new ActionLog());
        List<Master> masters = ClusterNodes.list(host, "/etc/kubernetes/admin.conf", true).stream()
                .map(n -> new Master(n.name(), n.address())).sorted().toList();
        assertEquals(List.of("cp-1", "cp-a", "cp-b"), masters.stream().map(Master::name).toList());
        String haproxy = HaproxyConfig.forNode(LbSettings.of(new LoadBalancer(LoadBalancer.Mode.INTERNAL, null, 6444, null,
                "test"), "kubernetes", "api.kubernetes.kubestead.internal", null, null), masters, Optional.of("cp-a")).render();
        assertTrue(haproxy.contains(members.get("cp-b").clientUrl().replace("https://", "").replace(":2379", ":6443")), haproxy);
        assertFalse(haproxy.contains(cAddress + ":"), haproxy);
        String keepalived = new KeepalivedConfig(new Vip(subnet + "250", "eth0", 51), masters, "cp-a", "kubernetes").render();
        assertFalse(keepalived.contains(cAddress), keepalived);

        // cp-c comes back: its etcd member is gone, so its etcd cannot rejoin, and the cluster's data is untouched
        EtcdTestCluster.Node back = etcd3.restart(members.get("cp-c"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (back.process().isAlive() && !Files.readString(back.log()).contains("removed")) {
            assertTrue(System.nanoTime() < deadline, "the purged member neither stopped nor saw its removal: "
                    + etcd3.tail(back));
            Thread.sleep(200);
        }
        assertEquals(List.of("cp-a", "cp-b"), client.members().stream().map(EtcdMember::name).sorted().toList());
        assertTrue(client.members().stream().allMatch(client::healthy));
        assertFalse(client.health(URI.create(back.clientUrl())), "the purged member does not serve");
    }

    @Test
    @Order(4)
    void lbSyncOnThePurgedMasterSaysToResetAndRejoin() throws Exception {
        RootedHost host = new RootedHost(NODE, tree, master, new ActionLog());
        BalancerFile mine = BalancerFile.read(host).orElseThrow();
        String before = Files.readString(tree.resolve("etc/kubestead/balancer.json"));
        // this tree as seen by the purged master: the same cluster, itself recorded as cp-c
        new BalancerFile(mine.loadBalancer(), mine.clusterName(), mine.stableName(), Optional.of("cp-c")).write(host);
        try {
            StringWriter err = new StringWriter();
            assertEquals(1, Main.run(env(new StringWriter(), err, true, master.address()), "lb-sync"), err.toString());
            assertTrue(err.toString().contains("this master: cp-c was purged from the cluster at"), err.toString());
            assertTrue(err.toString().contains("its etcd member"), err.toString());
            assertTrue(err.toString().contains("Run 'kubestead reset' on this host, then join it again"), err.toString());
        } finally {
            Files.writeString(tree.resolve("etc/kubestead/balancer.json"), before);
        }
    }

    // --- the automatic purge

    @Test
    @Order(5)
    void theElectedPurgerPurgesNodesLostLongerThanPurgeAfter() throws Exception {
        // the timer's check (written by the install's post/purge-lost), with the real kubectl against this API server:
        // without the setting it stops before the JVM; with it and a node not Ready it starts the JVM (absent here)
        io.kubestead.agent.host.ExecResult off = master.run(Duration.ofMinutes(1), "sh", PurgeUnits.CHECK);
        assertEquals(0, off.exitCode(), off.stderr());
        admin.create("/api/v1/namespaces/kube-system/configmaps", (ObjectNode) JSON.readTree(PurgeSettings.manifest(Duration.ofHours(1))));
        Instant now = Instant.now();
        objects.postNode("w-old", false, subnet + "203", "Unknown", now.minusSeconds(7300), now.minusSeconds(7200), "2", "4Gi");
        objects.postNode("w-new", false, subnet + "204", "Unknown", now.minusSeconds(700), now.minusSeconds(600), "2", "4Gi");
        io.kubestead.agent.host.ExecResult on = master.run(Duration.ofMinutes(1), "sh", PurgeUnits.CHECK);
        assertEquals(127, on.exitCode(), on.stdout() + on.stderr());
        assertTrue(on.stderr().contains("/opt/kubestead/bin/kubestead"), on.stderr());
        LeaseLock purgerLease = new LeaseLock(admin, Clock.systemUTC(), LostNodePurger.LEASE);
        assertTrue(purgerLease.tryAcquire("cp-x", Duration.ofMinutes(5)).acquired());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, purgeLost(out, err), err.toString());
        assertTrue(out.toString().contains("cp-x holds the Lease " + LostNodePurger.LEASE + ": it purges this round"), out.toString());
        assertTrue(admin.get("/api/v1/nodes/w-old").isPresent());

        purgerLease.release("cp-x");
        out = new StringWriter();
        err = new StringWriter();
        assertEquals(0, purgeLost(out, err), err.toString());
        assertTrue(admin.get("/api/v1/nodes/w-old").isEmpty(), out + "\n" + err);
        assertTrue(admin.get("/api/v1/nodes/w-new").isPresent(), "10 minutes NotReady is under purge-after=1h");
        assertTrue(PurgeRecord.find(admin, "w-old").orElseThrow().by().startsWith("automatic purge by " + NODE
                + ": not Ready for 2h, purge-after=60m"), PurgeRecord.find(admin, "w-old").toString());
        // cp-a is as long NotReady, but its etcd peer port answers: the same guard as by hand
        assertTrue(err.toString().contains("not purging cp-a"), err.toString());
        assertTrue(admin.get("/api/v1/nodes/cp-a").isPresent());
        assertFalse(JSON.readTree(admin.get("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/"
                + LostNodePurger.LEASE).orElseThrow().toString()).path("spec").hasNonNull("holderIdentity"), "released");
    }

    // --- helpers

    /** A command that must succeed, its output in the failure. */
    static final class RealControlPlaneCheck {
        static void ok(io.kubestead.agent.host.ExecResult r) {
            assertTrue(r.ok(), String.join(" ", r.command().argv()) + " exited " + r.exitCode() + ":\n" + r.stdout() + r.stderr());
        }
    }

    private int purge(StringWriter out, StringWriter err, String name) {
        return Main.run(env(out, err, true, master.address()), "node", "purge", name, "--api-server",
                controlPlane.apiServer().toString(), "--etcd-endpoint", "https://" + master.address() + ":2379");
    }

    private int purgeLost(StringWriter out, StringWriter err) {
        return Main.run(env(out, err, true, master.address()), "node", "purge-lost", "--identity", NODE, "--api-server",
                controlPlane.apiServer().toString(), "--etcd-endpoint", "https://" + master.address() + ":2379");
    }

    private CliEnvironment env(StringWriter out, StringWriter err, boolean root, String address) {
        return new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new HostFacts(NODE, address, "apt"), Prompter.NONE, tmp, Clock.systemUTC(), root, false,
                (ActionLog log) -> new RootedHost(NODE, tree, master, log), Map.of(), Duration.ZERO);
    }
}
