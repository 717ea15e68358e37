package io.kubestead.agent.join;

import io.kubestead.agent.etcd.EtcdMember;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether {@code kubestead reset} may remove a master's etcd member without breaking quorum. With n
 * voting members, removing a voter leaves n-1; etcd then needs floor((n-1)/2)+1 of them healthy. Learners do not
 * vote, so removing one is always safe; the last voter is never removed.
 */
public final class QuorumGuard {
    /** The answer: allowed, and a sentence for the user either way. */
    public record Decision(boolean allowed, String reason) {
    }

    private QuorumGuard() {
    }

    /**
     * @param members the current member list
     * @param healthyIds ids of members that answered a health check
     * @param removeId the member to remove
     */
    public static Decision decide(List<EtcdMember> members, Set<Long> healthyIds, long removeId) {
        Optional<EtcdMember> target = members.stream().filter(m -> m.id() == removeId).findFirst();
        if (target.isEmpty()) {
            return new Decision(true, "etcd member " + Long.toHexString(removeId) + " is not in the cluster");
        }
        if (target.get().learner()) {
            return new Decision(true, "etcd member " + target.get().label() + " is a learner and does not vote");
        }
        List<EtcdMember> voters = members.stream().filter(m -> !m.learner()).toList();
        int n = voters.size();
        if (n == 1) {
            return new Decision(false, "etcd member " + target.get().label()
                    + " is the last voting member; removing it would destroy the cluster's data");
        }
        List<EtcdMember> others = voters.stream().filter(m -> m.id() != removeId).toList();
        long healthyOthers = others.stream().filter(m -> healthyIds.contains(m.id())).count();
        int needed = (n - 1) / 2 + 1;
        if (healthyOthers < needed) {
            String sick = others.stream().filter(m -> !healthyIds.contains(m.id())).map(EtcdMember::label)
                    .collect(Collectors.joining(", "));
            return new Decision(false, "removing etcd member " + target.get().label() + " would leave " + healthyOthers
                    + " healthy of " + (n - 1) + " voting members, below the quorum of " + needed
                    + "; bring back or remove the unhealthy members first: " + sick);
        }
        return new Decision(true, "removing etcd member " + target.get().label() + " leaves " + healthyOthers
                + " healthy of " + (n - 1) + " voting members (quorum " + needed + ")");
    }

    /** {@link #decide} that throws {@link JoinGateException} with the reason when removal is unsafe. */
    public static void requireSafeRemoval(List<EtcdMember> members, Set<Long> healthyIds, long removeId) {
        Decision d = decide(members, healthyIds, removeId);
        if (!d.allowed()) {
            throw new JoinGateException("refusing to reset this master: " + d.reason());
        }
    }
}
