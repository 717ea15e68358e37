package io.kubestead.agent.status;

import java.util.List;
import java.util.Optional;

/**
 * The etcd cluster as its members report it. {@code error} says why etcd could not be asked at all (then there are
 * no members). Quorum counts voters only: learners do not vote.
 */
public record EtcdStatus(Optional<String> error, List<EtcdMemberStatus> members) {
    public EtcdStatus {
        members = List.copyOf(members);
    }

    public static EtcdStatus unreachable(String why) {
        return new EtcdStatus(Optional.of(why), List.of());
    }

    public boolean reachable() {
        return error.isEmpty();
    }

    public List<EtcdMemberStatus> voters() {
        return members.stream().filter(m -> !m.learner()).toList();
    }

    public List<EtcdMemberStatus> learners() {
        return members.stream().filter(EtcdMemberStatus::learner).toList();
    }

    public long healthyVoters() {
        return voters().stream().filter(EtcdMemberStatus::healthy).count();
    }

    /** Voters needed for a majority: floor(n/2)+1. */
    public int quorum() {
        return voters().size() / 2 + 1;
    }

    public boolean hasQuorum() {
        return reachable() && healthyVoters() >= quorum();
    }

    /** How many more voters may fail before etcd stops accepting writes (0 when it already has none to spare). */
    public long failuresTolerable() {
        return hasQuorum() ? healthyVoters() - quorum() : 0;
    }

    public Optional<EtcdMemberStatus> leader() {
        return members.stream().filter(EtcdMemberStatus::leader).findFirst();
    }
}
