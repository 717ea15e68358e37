package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.EtcdTestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join race across hosts: every etcd member runs on its own test host (a network namespace with its own
 * address, on a bridge), and two masters join through the gate at the same moment, reaching etcd over that network.
 */
class MultiHostJoinTest {
    @TempDir
    Path tmp;
    EtcdTestCluster cluster;
    final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoMastersOnSeparateHostsJoinOneAfterTheOther() throws Exception {
        cluster = EtcdTestCluster.inNamespaces(tmp);
        EtcdTestCluster.Node first = cluster.startFirst("cp-1");
        assertTrue(first.clientUrl().startsWith("https://10.251."), first.clientUrl());
        FakeKubeApi api = new FakeKubeApi();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<EtcdMember>> joins = new ArrayList<>();
        EtcdClient watchClient = cluster.client(first);
        try (LearnerWatcher watcher = new LearnerWatcher(watchClient)) {
            for (String node : List.of("cp-2", "cp-3")) {
                joins.add(pool.submit(() -> {
                    EtcdClient etcd = cluster.client(first);
                    ControlPlaneJoinGate gate = new ControlPlaneJoinGate(new LeaseLock(api, Clock.systemUTC()), etcd,
                            ConcurrentJoinTest.FAST, Clock.systemUTC(), Sleeper.system(), m -> { });
                    together.await();
                    return gate.join(node, () -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        try {
                            new KubeadmEtcdJoin(cluster, etcd).join(node, ConcurrentJoinTest.KUBEADM_ADD_RETRY);
                        } finally {
                            inside.decrementAndGet();
                        }
                    });
                }));
            }
            for (Future<EtcdMember> f : joins) {
                f.get();
            }
            assertTrue(watcher.maxLearners() <= 1, "learners at once: " + watcher.maxLearners());
        }
        assertEquals(1, maxInside.get(), "the two kubeadm joins overlapped");
        List<EtcdMember> members = watchClient.members();
        assertEquals(3, members.size(), members.toString());
        Set<String> hostsSeen = new HashSet<>();
        for (EtcdMember m : members) {
            assertFalse(m.learner(), m.label());
            assertTrue(watchClient.healthy(m), m.label());
            hostsSeen.add(java.net.URI.create(m.peerUrls().get(0)).getHost());
        }
        assertEquals(3, hostsSeen.size(), "each member on its own host: " + hostsSeen);
    }
}
