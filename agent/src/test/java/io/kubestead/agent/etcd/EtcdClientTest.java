package io.kubestead.agent.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdClientTest {
    @TempDir
    Path tmp;
    EtcdTestCluster cluster;
    EtcdTestCluster.Node first;
    EtcdClient client;

    @BeforeEach
    void start() {
        cluster = new EtcdTestCluster(tmp);
        first = cluster.startFirst("m0");
        client = cluster.client(first);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void listsMembersWithUnsignedIdsAsEtcdctlPrintsThem() throws Exception {
        List<EtcdMember> members = client.members();
        assertEquals(1, members.size());
        EtcdMember m = members.get(0);
        assertEquals("m0", m.name());
        assertEquals(List.of(first.peerUrl()), m.peerUrls());
        assertEquals(List.of(first.clientUrl()), m.clientUrls());
        assertFalse(m.learner());
        assertTrue(m.started());
        // etcdctl's simple output starts each line with the hex id: the same uint64 we parsed from a JSON string.
        String etcdctl = etcdctl("member", "list");
        assertTrue(etcdctl.startsWith(m.idHex() + ", started, m0, "), etcdctl);
        assertEquals(m.id(), Long.parseUnsignedLong(m.idString()));
    }

    @Test
    void addsOneLearnerRefusesASecondPromotesWhenInSyncAndRemoves() {
        // An unstarted learner is not a voter: etcd removes it at once.
        EtcdMember abandoned = client.addLearner(cluster.reservePorts().peerUrl());
        client.remove(abandoned.id());
        assertEquals(1, client.members().size());

        EtcdTestCluster.Ports ports = cluster.reservePorts();
        EtcdMember learner = client.addLearner(ports.peerUrl());
        assertTrue(learner.learner());
        assertFalse(learner.started());
        assertEquals(List.of(ports.peerUrl()), learner.peerUrls());

        EtcdException second = assertThrows(EtcdException.class,
                () -> client.addLearner(cluster.reservePorts().peerUrl()));
        assertTrue(second.tooManyLearners(), second.getMessage());

        EtcdException notReady = assertThrows(EtcdException.class, () -> client.promote(learner.id()));
        assertTrue(notReady.learnerNotInSync(), notReady.getMessage());

        EtcdTestCluster.Node m1 = cluster.startJoining("m1", ports, client.members());
        promoteWhenInSync(learner.id());
        EtcdMember promoted = client.members().stream().filter(x -> x.id() == learner.id()).findFirst().orElseThrow();
        assertFalse(promoted.learner());
        assertEquals("m1", promoted.name());
        cluster.awaitHealthy(m1);
        assertTrue(client.healthy(promoted));

        // etcd's strict reconfig check refuses removing a voter until the remaining peers have been connected
        // for 5 s ("etcdserver: unhealthy cluster"); callers (reset) retry that.
        retryWhileUnhealthy(() -> client.remove(promoted.id()));
        assertEquals(List.of("m0"), client.members().stream().map(EtcdMember::name).toList());
        EtcdException gone = assertThrows(EtcdException.class, () -> client.remove(promoted.id()));
        assertTrue(gone.getMessage().contains("member not found"), gone.getMessage());
    }

    @Test
    void healthIsFalseForADeadEndpointAndListFailsOverToTheNextEndpoint() {
        URI dead = URI.create("https://127.0.0.1:" + cluster.reservePorts().client());
        assertFalse(client.health(dead));
        assertTrue(client.health(URI.create(first.clientUrl())));
        EtcdClient failover = new EtcdClient(List.of(dead, URI.create(first.clientUrl())),
                PemTls.mutual(cluster.clientFiles().ca(), cluster.clientFiles().cert(), cluster.clientFiles().key()),
                java.time.Duration.ofSeconds(2));
        assertEquals(1, failover.members().size());
        EtcdClient onlyDead = new EtcdClient(List.of(dead),
                PemTls.mutual(cluster.clientFiles().ca(), cluster.clientFiles().cert(), cluster.clientFiles().key()),
                java.time.Duration.ofSeconds(2));
        EtcdException e = assertThrows(EtcdException.class, onlyDead::members);
        assertTrue(e.getMessage().startsWith("no etcd endpoint answered /v3/cluster/member/list"), e.getMessage());
    }

    @Test
    void rejectsAClientWithoutACertificateFromTheCa() {
        TestPki other = new TestPki(tmp.resolve("other"));
        TestPki.Files3 stranger = other.issue("stranger");
        EtcdClient wrong = new EtcdClient(List.of(URI.create(first.clientUrl())),
                PemTls.mutual(cluster.clientFiles().ca(), stranger.cert(), stranger.key()), java.time.Duration.ofSeconds(2));
        assertThrows(EtcdException.class, wrong::members);
    }

    private static void retryWhileUnhealthy(Runnable call) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                call.run();
                return;
            } catch (EtcdException e) {
                if (!e.getMessage().contains("unhealthy cluster") || System.nanoTime() > deadline) {
                    throw e;
                }
                EtcdTestCluster.sleep(250);
            }
        }
    }

    private void promoteWhenInSync(long id) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                client.promote(id);
                return;
            } catch (EtcdException e) {
                if (!e.learnerNotInSync() || System.nanoTime() > deadline) {
                    throw e;
                }
                EtcdTestCluster.sleep(100);
            }
        }
    }

    private String etcdctl(String... args) throws Exception {
        TestPki.Files3 c = cluster.clientFiles();
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints", first.clientUrl(),
                "--cacert", c.ca().toString(), "--cert", c.cert().toString(), "--key", c.key().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
