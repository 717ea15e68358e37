package io.kubestead.agent.status;

import java.time.Instant;
import java.util.List;

/**
 * One look at the cluster from a master, as {@code kubestead status} and the console show it: the nodes, etcd, this
 * node's balancer, the certificates and join scripts on this master, and the advice drawn from them. Healthy when
 * there is no advice.
 *
 * @param collectedAt when the look was taken (ages and remaining times are relative to it)
 * @param collectedOn the node it was taken on
 */
public record ClusterStatus(Instant collectedAt, String collectedOn, List<NodeStatus> nodes, EtcdStatus etcd,
                            BalancerStatus balancer, List<CertificateStatus> certificates,
                            List<JoinScriptStatus> joinScripts, List<Advice> advice) {
    public ClusterStatus {
        nodes = List.copyOf(nodes);
        certificates = List.copyOf(certificates);
        joinScripts = List.copyOf(joinScripts);
        advice = List.copyOf(advice);
    }

    /** No findings: what exit code 0 means. */
    public boolean healthy() {
        return advice.isEmpty();
    }

    public List<NodeStatus> masters() {
        return nodes.stream().filter(NodeStatus::master).toList();
    }

    public List<NodeStatus> workers() {
        return nodes.stream().filter(n -> !n.master()).toList();
    }
}
