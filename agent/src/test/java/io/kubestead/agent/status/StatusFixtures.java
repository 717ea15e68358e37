package io.kubestead.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Small builders for status records. */
final class StatusFixtures {
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final long GI = 1L << 30;

    private StatusFixtures() {
    }

    static NodeStatus master(String name, boolean tainted, int workloads) {
        return node(name, NodeStatus.Role.MASTER, NodeStatus.Readiness.READY,
                tainted ? List.of(NodeStatus.CONTROL_PLANE_TAINT) : List.of(), new Resources(4000, 8 * GI),
                Resources.NONE, workloads);
    }

    static NodeStatus worker(String name, Resources allocatable, Resources requested) {
        return node(name, NodeStatus.Role.WORKER, NodeStatus.Readiness.READY, List.of(), allocatable, requested, 1);
    }

    static NodeStatus node(String name, NodeStatus.Role role, NodeStatus.Readiness ready, List<String> taints,
                           Resources allocatable, Resources requested, int workloads) {
        return new NodeStatus(name, role, ready, Optional.of(NOW.minus(Duration.ofHours(2))),
                Optional.of(NOW.minusSeconds(10)), "v1.34.4", taints, NOW.minus(Duration.ofDays(3)),
                Optional.of("10.0.0." + (name.hashCode() & 0x7f)), allocatable, requested, workloads);
    }

    static EtcdMemberStatus member(String name, boolean healthy, boolean leader) {
        return new EtcdMemberStatus(Integer.toHexString(name.hashCode() & 0xffff), name,
                List.of("https://10.0.0.1:2380"), List.of("https://10.0.0.1:2379"), false, healthy, leader,
                healthy ? 3 << 20 : 0, healthy ? "3.6.5" : "", healthy ? Optional.empty() : Optional.of("connection refused"));
    }

    static EtcdStatus etcd(EtcdMemberStatus... members) {
        return new EtcdStatus(Optional.empty(), List.of(members));
    }

    static BalancerStatus balancer(BalancerStatus.BackendStatus... backends) {
        return new BalancerStatus("internal", "127.0.0.1:6444", List.of(backends));
    }

    static CertificateStatus cert(String name, Duration left) {
        return new CertificateStatus(name, Optional.of(NOW.plus(left)), "ca");
    }
}
