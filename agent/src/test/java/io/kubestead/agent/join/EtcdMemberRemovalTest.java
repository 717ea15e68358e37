package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.EtcdTestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdMemberRemovalTest {
    @TempDir
    Path tmp;
    EtcdTestCluster cluster;
    EtcdTestCluster.Node first;
    EtcdClient etcd;

    @BeforeEach
    void start() {
        cluster = new EtcdTestCluster(tmp);
        first = cluster.startFirst("cp-1");
        etcd = cluster.client(first);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void removesAHealthyClustersMemberAndIsANoOpTheSecondTime() throws Exception {
        new KubeadmEtcdJoin(cluster, etcd).join("cp-2", Duration.ZERO);
        Optional<EtcdMember> removed = removal().remove("cp-2"); // within etcd's 5 s window: retried
        assertEquals("cp-2", removed.orElseThrow().name());
        assertEquals(List.of("cp-1"), etcd.members().stream().map(EtcdMember::name).toList());
        assertEquals(Optional.empty(), removal().remove("cp-2"));
    }

    @Test
    void refusesWhenTheRemainingMembersCouldNotFormAQuorum() throws Exception {
        EtcdTestCluster.Node second = new KubeadmEtcdJoin(cluster, etcd).join("cp-2", Duration.ZERO);
        cluster.kill(second); // cp-2's host is down; resetting cp-1 now would leave only the dead cp-2
        JoinGateException e = assertThrows(JoinGateException.class, () -> removal().remove("cp-1"));
        assertTrue(e.getMessage().matches("refusing to reset this master: removing etcd member cp-1 \\(id \\w+\\) "
                + "would leave 0 healthy of 1 voting members, below the quorum of 1; bring back or remove the "
                + "unhealthy members first: cp-2 \\(id \\w+\\)"), e.getMessage());
        assertEquals(2, etcd.members().size());
    }

    @Test
    void neverRemovesTheLastMember() {
        JoinGateException e = assertThrows(JoinGateException.class, () -> removal().remove("cp-1"));
        assertTrue(e.getMessage().endsWith("is the last voting member; removing it would destroy the cluster's data"),
                e.getMessage());
        assertEquals(1, etcd.members().size());
    }

    private EtcdMemberRemoval removal() {
        return new EtcdMemberRemoval(etcd, Duration.ofSeconds(20), Clock.systemUTC(), Sleeper.system(), m -> { });
    }
}
