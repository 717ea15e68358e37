package io.kubestead.agent.status;

/**
 * One finding: what to do, about what, and why. {@code kind} is stable for scripts and the console; the texts are
 * for people.
 *
 * @param subject the node, member, certificate or backend it concerns ({@code cluster} for the cluster as a whole)
 */
public record Advice(Kind kind, String subject, String advice, String reason) {
    public enum Kind {
        /** An even or single master count. */
        MASTER_COUNT,
        /** Masters run workloads without the control-plane taint. */
        MASTERS_CARRY_WORKLOADS,
        /** A worker's pods request more than 75% of its CPU or memory. */
        WORKER_CAPACITY,
        /** A certificate expires within 30 days (or has). */
        CERTIFICATE_EXPIRY,
        /** An etcd member does not answer its health check, or etcd cannot be asked. */
        ETCD_MEMBER_UNHEALTHY,
        /** A node is not Ready. */
        NODE_NOT_READY,
        /** A balancer backend does not answer /readyz from this node. */
        BACKEND_DOWN,
        /** The API server could not be asked for the nodes. */
        API_UNREACHABLE,
        /** A purged node registered again: its kubelet runs on a host that must be reset and joined again. */
        PURGED_NODE_BACK
    }
}
