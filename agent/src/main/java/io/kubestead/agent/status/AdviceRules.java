package io.kubestead.agent.status;

import io.kubestead.agent.lb.QuorumAdvice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The advice {@code kubestead status} gives, each with its reason. Pure: from collected facts to findings, so each
 * rule is tested on its own.
 */
public final class AdviceRules {
    /** Above this share of allocatable requested, a worker has no room left for a rescheduled pod (Maestro's 75%). */
    public static final int CAPACITY_PERCENT = 75;
    public static final Duration CERT_WARNING = Duration.ofDays(30);

    private AdviceRules() {
    }

    public static List<Advice> evaluate(List<NodeStatus> nodes, EtcdStatus etcd, BalancerStatus balancer,
                                        List<CertificateStatus> certificates, Instant now) {
        List<Advice> out = new ArrayList<>();
        masterCount(nodes, out);
        mastersCarryWorkloads(nodes, out);
        workerCapacity(nodes, out);
        notReady(nodes, now, out);
        etcd(etcd, out);
        balancer(balancer, out);
        certificates(certificates, now, out);
        return out;
    }

    /**
     * A purged node whose Node came back after the purge: its kubelet registered it again (as a plain node: a kubelet
     * may not give itself the control-plane role), on a host that still holds its old cluster state.
     */
    public static List<Advice> purgedNodesBack(List<NodeStatus> nodes, List<PurgeRecord.Entry> purged) {
        List<Advice> out = new ArrayList<>();
        for (PurgeRecord.Entry p : purged) {
            nodes.stream().filter(n -> n.name().equals(p.node()) && n.created().isAfter(p.purgedAt())).findFirst()
                    .ifPresent(n -> out.add(new Advice(Advice.Kind.PURGED_NODE_BACK, n.name(),
                            "run 'kubestead reset' on " + n.name() + ", then join it again with a fresh"
                                    + " 'kubestead join-script " + (p.etcdMember().isEmpty() ? "worker" : "master") + "'",
                            p.sentence() + ", and its kubelet registered it again at " + n.created()
                                    + "; it keeps its old state and may take workloads")));
        }
        return out;
    }

    static void masterCount(List<NodeStatus> nodes, List<Advice> out) {
        int masters = (int) nodes.stream().filter(NodeStatus::master).count();
        if (masters == 0) {
            return; // nothing to count: the node list itself is missing, said elsewhere
        }
        if (masters == 1 || masters % 2 == 0) {
            String reason = QuorumAdvice.forMasters(masters, true).orElseThrow().replaceFirst("^warning: (ha with )?", "");
            out.add(new Advice(Advice.Kind.MASTER_COUNT, "cluster",
                    masters == 1 ? "add two masters (3 survive the loss of one)" : "run an odd number of masters ("
                            + (masters - 1) + " or " + (masters + 1) + ")", reason));
        }
    }

    static void mastersCarryWorkloads(List<NodeStatus> nodes, List<Advice> out) {
        for (NodeStatus n : nodes) {
            if (n.master() && !n.controlPlaneTainted() && n.workloadPods() > 0) {
                out.add(new Advice(Advice.Kind.MASTERS_CARRY_WORKLOADS, n.name(),
                        "keep workloads on dedicated workers: add workers, then taint the masters (install word"
                                + " taint-control-plane, or kubectl taint nodes " + n.name() + " "
                                + NodeStatus.CONTROL_PLANE_TAINT + ")",
                        n.name() + " runs " + n.workloadPods() + " workload pod" + (n.workloadPods() == 1 ? "" : "s")
                                + " beside etcd and the API server; one that exhausts the node's memory or disk can take"
                                + " the control plane down with it"));
            }
        }
    }

    static void workerCapacity(List<NodeStatus> nodes, List<Advice> out) {
        for (NodeStatus n : nodes) {
            if (n.master()) {
                continue;
            }
            List<String> over = new ArrayList<>();
            long cpu = percent(n.requested().cpuMillis(), n.allocatable().cpuMillis());
            long mem = percent(n.requested().memoryBytes(), n.allocatable().memoryBytes());
            if (over(n.requested().cpuMillis(), n.allocatable().cpuMillis())) {
                over.add("CPU " + cpu + "% (" + n.requested().cpuMillis() + "m of " + n.allocatable().cpuMillis() + "m)");
            }
            if (over(n.requested().memoryBytes(), n.allocatable().memoryBytes())) {
                over.add("memory " + mem + "% (" + mib(n.requested().memoryBytes()) + " of "
                        + mib(n.allocatable().memoryBytes()) + ")");
            }
            if (!over.isEmpty()) {
                out.add(new Advice(Advice.Kind.WORKER_CAPACITY, n.name(), "add a worker before it is needed",
                        "pods on " + n.name() + " request " + String.join(" and ", over) + " of its allocatable, above "
                                + CAPACITY_PERCENT + "%: the pods of a failed worker would not fit elsewhere"));
            }
        }
    }

    static void notReady(List<NodeStatus> nodes, Instant now, List<Advice> out) {
        for (NodeStatus n : nodes) {
            if (!n.isReady()) {
                String since = n.readyChanged().map(t -> " for " + Durations.human(Duration.between(t, now))).orElse("");
                out.add(new Advice(Advice.Kind.NODE_NOT_READY, n.name(),
                        "bring it back, or if it is lost for good: kubestead node purge " + n.name(),
                        n.name() + " is " + (n.ready() == NodeStatus.Readiness.UNKNOWN ? "not reporting (Ready Unknown)"
                                : "NotReady") + since + "; its pods are not running and pods with volumes wait for it"));
            }
        }
    }

    static void etcd(EtcdStatus etcd, List<Advice> out) {
        if (!etcd.reachable()) {
            out.add(new Advice(Advice.Kind.ETCD_MEMBER_UNHEALTHY, "etcd", "check the etcd static pod on this master",
                    "etcd could not be asked: " + etcd.error().orElse("")));
            return;
        }
        for (EtcdMemberStatus m : etcd.members()) {
            if (!m.healthy()) {
                String quorum = etcd.hasQuorum() ? "etcd keeps its quorum but can lose " + etcd.failuresTolerable()
                        + " more voter" + (etcd.failuresTolerable() == 1 ? "" : "s")
                        : "etcd has lost its quorum (" + etcd.healthyVoters() + " of " + etcd.voters().size()
                                + " voters healthy, " + etcd.quorum() + " needed): the API cannot write";
                out.add(new Advice(Advice.Kind.ETCD_MEMBER_UNHEALTHY, m.label(),
                        "bring its master back, or purge a lost one: kubestead node purge " + m.label(),
                        "etcd member " + m.label() + " (" + m.id() + ") does not answer its health check"
                                + m.error().map(e -> " (" + e + ")").orElse("") + "; " + quorum));
            }
        }
    }

    static void balancer(BalancerStatus balancer, List<Advice> out) {
        for (BalancerStatus.BackendStatus b : balancer.backends()) {
            if (!b.healthy()) {
                out.add(new Advice(Advice.Kind.BACKEND_DOWN, b.name(), "check the API server at " + b.address(),
                        b.address() + " does not answer /readyz from this node (" + b.detail() + "); the "
                                + balancer.mode() + " balancer sends requests elsewhere while it is down"));
            }
        }
    }

    static void certificates(List<CertificateStatus> certificates, Instant now, List<Advice> out) {
        for (CertificateStatus c : certificates) {
            Duration left = c.remaining(now).orElse(null);
            if (left == null || left.compareTo(CERT_WARNING) >= 0) {
                continue;
            }
            String when = left.isNegative() ? "expired " + Durations.human(left.negated()) + " ago"
                    : "expires in " + Durations.human(left);
            out.add(new Advice(Advice.Kind.CERTIFICATE_EXPIRY, c.name(),
                    c.authorityCertificate() ? "plan a new CA: kubestead never replaces one"
                            : "renew it: kubestead certs renew " + c.name(),
                    c.name() + " " + when + "; clients and components using it stop working then"));
        }
    }

    /** Exactly above the threshold (75.4% is above 75%, though printed as 75%). */
    private static boolean over(long part, long whole) {
        return whole > 0 && java.math.BigInteger.valueOf(part).multiply(java.math.BigInteger.valueOf(100))
                .compareTo(java.math.BigInteger.valueOf(whole).multiply(java.math.BigInteger.valueOf(CAPACITY_PERCENT))) > 0;
    }

    private static long percent(long part, long whole) {
        return whole <= 0 ? 0 : (long) Math.floor(100.0 * part / whole);
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + "Mi";
    }
}
