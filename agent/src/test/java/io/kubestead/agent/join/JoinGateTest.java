package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.EtcdTestCluster;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.etcd.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's checks and failures, against real etcd where etcd is involved. */
class JoinGateTest {
    static final JoinGateSettings SHORT = new JoinGateSettings(Duration.ofSeconds(3), Duration.ofSeconds(30),
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(50),
            Duration.ofMillis(200));

    @TempDir
    Path tmp;
    EtcdTestCluster cluster;
    final FakeKubeApi api = new FakeKubeApi();
    final Queue<String> progress = new ConcurrentLinkedQueue<>();
    final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anUnhealthyEtcdBlocksTheJoinAndNamesTheMembers() throws Exception {
        EtcdTestCluster.Node first = startCluster();
        EtcdClient etcd = cluster.client(first);
        // A voter that never starts (what a half-finished old-style join leaves): the cluster loses quorum.
        String ghostPeer = cluster.reservePorts().peerUrl();
        etcdctl(first, "member", "add", "ghost", "--peer-urls=" + ghostPeer);
        AtomicBoolean ran = new AtomicBoolean();
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> gate(etcd, SHORT, Clock.systemUTC(), Sleeper.system()).join("cp-2", () -> ran.set(true)));
        assertFalse(ran.get(), "kubeadm join must not run");
        assertTrue(e.getMessage().startsWith("etcd is not healthy: "), e.getMessage());
        assertTrue(e.getMessage().contains("unstarted member " + ghostPeer), e.getMessage());
        assertTrue(e.getMessage().contains("cp-1 (id "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(0 of 2 members healthy); refusing to add a control plane until etcd is "
                + "healthy again"), e.getMessage());
        assertLockFree();
    }

    @Test
    void aJoinThatFailsAfterAddingItsLearnerLeavesNoLearnerBehindForTheNextJoin() throws Exception {
        EtcdTestCluster.Node first = startCluster();
        EtcdClient etcd = cluster.client(first);
        // kubeadm added the learner, then died before starting the member
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> gate(etcd, SHORT, Clock.systemUTC(), Sleeper.system()).join("cp-2", () -> {
                    etcd.addLearner(cluster.reservePorts().peerUrl());
                    throw new IllegalStateException("kubeadm join failed");
                }));
        assertEquals("kubeadm join failed", failed.getMessage());
        assertTrue(etcd.members().stream().noneMatch(EtcdMember::learner), etcd.members().toString());
        assertEquals(1, etcd.members().size());
        assertTrue(progress.stream().anyMatch(p -> p.startsWith("removed etcd learner")), String.join("\n", progress));
        assertLockFree();
    }

    @Test
    void aPendingLearnerIsWaitedForThenTheJoinRuns() throws Exception {
        EtcdTestCluster.Node first = startCluster();
        EtcdClient etcd = cluster.client(first);
        EtcdTestCluster.Ports oldPorts = cluster.reservePorts();
        List<EtcdMember> before = etcd.members();
        EtcdMember pending = etcd.addLearner(oldPorts.peerUrl()); // another master's join, half done
        JoinGateSettings settings = new JoinGateSettings(Duration.ofSeconds(3), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMillis(50),
                Duration.ofMillis(200));
        AtomicLong learnersWhenJoinRan = new AtomicLong(-1);
        Future<EtcdMember> join = pool.submit(() -> gate(etcd, settings, Clock.systemUTC(), Sleeper.system())
                .join("cp-3", () -> {
                    learnersWhenJoinRan.set(etcd.members().stream().filter(EtcdMember::learner).count());
                    new KubeadmEtcdJoin(cluster, etcd).join("cp-3", ConcurrentJoinTest.KUBEADM_ADD_RETRY);
                }));
        awaitProgress("waiting for etcd learner " + pending.label() + " to be promoted");
        assertEquals(-1, learnersWhenJoinRan.get(), "the join ran while a learner was pending");
        // The other master's join finishes: its etcd starts and kubeadm promotes it.
        cluster.startJoining("cp-2", oldPorts, before);
        promote(etcd, pending.id());
        assertEquals("cp-3", join.get().name());
        assertEquals(0, learnersWhenJoinRan.get());
        List<EtcdMember> members = etcd.members();
        assertEquals(3, members.size());
        assertTrue(members.stream().noneMatch(EtcdMember::learner), members.toString());
    }

    @Test
    void aLearnerThatIsNeverPromotedFailsTheJoinNamingIt() throws Exception {
        EtcdTestCluster.Node first = startCluster();
        EtcdClient etcd = cluster.client(first);
        EtcdMember stuck = etcd.addLearner(cluster.reservePorts().peerUrl());
        AtomicBoolean ran = new AtomicBoolean();
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> gate(etcd, SHORT, Clock.systemUTC(), Sleeper.system()).join("cp-2", () -> ran.set(true)));
        assertFalse(ran.get());
        assertEquals("etcd learner " + stuck.label() + " has not been promoted after 1s: an earlier control-plane "
                + "join did not finish; finish or reset that host (or remove the member with 'etcdctl member remove "
                + stuck.idHex() + "'), then retry", e.getMessage());
        assertLockFree();
    }

    @Test
    void ourMemberNotAppearingAfterTheJoinIsAClearError() throws Exception {
        EtcdTestCluster.Node first = startCluster();
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> gate(cluster.client(first), SHORT, Clock.systemUTC(), Sleeper.system()).join("cp-2", () -> { }));
        assertTrue(e.getMessage().startsWith("etcd has no started member named cp-2 1s after the join; "),
                e.getMessage());
        assertLockFree();
    }

    @Test
    void aCrashedJoinersLockIsTakenOverAndAFailedJoinStillReleasesTheLock() throws Exception {
        EtcdTestCluster.Node first = startCluster();
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        assertTrue(new LeaseLock(api, clock).tryAcquire("cp-dead", Duration.ofSeconds(60)).acquired());
        Sleeper fastForward = d -> clock.advance(d); // lock waits pass in fake time; etcd checks are real
        JoinGateSettings settings = new JoinGateSettings(Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(15));
        IllegalStateException kubeadmFailed = new IllegalStateException("kubeadm join failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> gate(cluster.client(first), settings, clock, fastForward).join("cp-2", () -> {
                    throw kubeadmFailed;
                }));
        assertSame(kubeadmFailed, thrown, "the join's own failure comes through unchanged");
        assertTrue(progress.contains("waiting for cp-dead to finish joining (holds the join lock since "
                + "2026-03-01T10:00:00Z)"), progress.toString());
        assertTrue(progress.contains("acquired the control-plane join lock"), progress.toString());
        assertTrue(progress.contains("etcd: 1 voting member, all healthy (quorum 1); after this join 2 (quorum 2)"),
                progress.toString());
        assertLockFree();
    }

    @Test
    void waitingForALiveHolderTimesOutNamingItAndSinceWhen() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        new LeaseLock(api, clock).tryAcquire("cp-busy", Duration.ofMinutes(10));
        TestPki pki = new TestPki(tmp.resolve("pki"));
        TestPki.Files3 c = pki.issue("client");
        EtcdClient unused = new EtcdClient(List.of(URI.create("https://127.0.0.1:1")),
                PemTls.mutual(c.ca(), c.cert(), c.key()), Duration.ofSeconds(1));
        JoinGateSettings settings = new JoinGateSettings(Duration.ofSeconds(60), Duration.ofMinutes(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(15));
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> gate(unused, settings, clock, d -> clock.advance(d)).join("cp-2", () -> { }));
        assertEquals("timed out after 1m waiting for the control-plane join lock: cp-busy has held it since "
                + "2026-03-01T10:00:00Z; wait for that join to finish, or if cp-busy has stopped, the lock frees "
                + "itself 10m after its last renewal", e.getMessage());
        assertEquals(List.of("waiting for cp-busy to finish joining (holds the join lock since 2026-03-01T10:00:00Z)"),
                new ArrayList<>(progress), "one message per holder, not one per retry");
    }

    private ControlPlaneJoinGate gate(EtcdClient etcd, JoinGateSettings settings, Clock clock, Sleeper sleeper) {
        return new ControlPlaneJoinGate(new LeaseLock(api, clock), etcd, settings, clock, sleeper, progress::add);
    }

    private EtcdTestCluster.Node startCluster() {
        cluster = new EtcdTestCluster(tmp);
        return cluster.startFirst("cp-1");
    }

    private void assertLockFree() {
        assertTrue(api.get(LeaseLock.PATH).orElseThrow().path("spec").path("holderIdentity").isMissingNode(),
                "the join lock is released");
    }

    private void awaitProgress(String message) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!progress.contains(message)) {
            assertTrue(System.nanoTime() < deadline, "no '" + message + "' in " + progress);
            KubeadmEtcdJoin.sleep(20);
        }
    }

    private static void promote(EtcdClient etcd, long id) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                etcd.promote(id);
                return;
            } catch (EtcdException e) {
                if (!e.learnerNotInSync() || System.nanoTime() > deadline) {
                    throw e;
                }
                KubeadmEtcdJoin.sleep(100);
            }
        }
    }

    private void etcdctl(EtcdTestCluster.Node node, String... args) throws Exception {
        TestPki.Files3 c = cluster.clientFiles();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints", node.clientUrl(),
                "--cacert", c.ca().toString(), "--cert", c.cert().toString(), "--key", c.key().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
