package io.kubestead.agent.join;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.EtcdTestCluster;
import java.time.Duration;
import java.util.List;

/**
 * What kubeadm's etcd-join phase does to etcd, for real: member add as learner, start the new member with
 * --initial-cluster-state=existing (kubeadm writes the static pod), then promote, retrying "can only promote a
 * learner member which is in sync with leader" as kubeadm does. kubeadm retries a failed add every 500 ms for
 * timeouts.etcdAPICall (2 m); {@code addRetry} bounds that here (zero: one attempt).
 */
public final class KubeadmEtcdJoin {
    private final EtcdTestCluster cluster;
    private final EtcdClient client;

    public KubeadmEtcdJoin(EtcdTestCluster cluster, EtcdClient client) {
        this.cluster = cluster;
        this.client = client;
    }

    public EtcdTestCluster.Node join(String nodeName, Duration addRetry) {
        EtcdTestCluster.Ports ports = cluster.reservePorts(nodeName);
        List<EtcdMember> before = client.members();
        EtcdMember learner = addLearner(ports.peerUrl(), addRetry);
        EtcdTestCluster.Node node = cluster.startJoining(nodeName, ports, before);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                client.promote(learner.id());
                return node;
            } catch (EtcdException e) {
                if (!e.learnerNotInSync() || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    private EtcdMember addLearner(String peerUrl, Duration retry) {
        long deadline = System.nanoTime() + retry.toNanos();
        while (true) {
            try {
                return client.addLearner(peerUrl);
            } catch (EtcdException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(500);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
