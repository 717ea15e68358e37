package io.kubestead.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A node as the API reports it, with what its pods request.
 *
 * @param ready the Ready condition's status; {@link Readiness#UNKNOWN} when the node controller stopped hearing
 *              from the kubelet (or the node never reported)
 * @param readyChanged when the Ready condition last changed (empty when the node never reported)
 * @param lastHeartbeat the Ready condition's last heartbeat from the kubelet
 * @param taints as {@code key[=value]:Effect}
 * @param address the InternalIP, empty when the node reported none
 * @param workloadPods running pods that are not DaemonSet, static (mirror) or kube-system pods: the workloads
 */
public record NodeStatus(String name, Role role, Readiness ready, Optional<Instant> readyChanged,
                         Optional<Instant> lastHeartbeat, String kubeletVersion, List<String> taints, Instant created,
                         Optional<String> address, Resources allocatable, Resources requested, int workloadPods) {
    /** The label kubeadm puts on control-plane nodes. */
    public static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
    /** The taint {@code taint-control-plane} keeps on the masters. */
    public static final String CONTROL_PLANE_TAINT = CONTROL_PLANE_LABEL + ":NoSchedule";

    public enum Role { MASTER, WORKER }

    public enum Readiness { READY, NOT_READY, UNKNOWN }

    public NodeStatus {
        taints = List.copyOf(taints);
    }

    public boolean master() {
        return role == Role.MASTER;
    }

    public boolean isReady() {
        return ready == Readiness.READY;
    }

    /** Whether workloads are kept off this node by the control-plane taint. */
    public boolean controlPlaneTainted() {
        return taints.contains(CONTROL_PLANE_TAINT);
    }

    public Duration age(Instant now) {
        return Duration.between(created, now);
    }
}
