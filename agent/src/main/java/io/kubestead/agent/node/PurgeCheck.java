package io.kubestead.agent.node;

import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.status.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What purge found out about a node before touching anything.
 *
 * @param node the Node object, empty when it is already gone (a purge that stopped half-way is run again)
 * @param member its etcd member (named after the node, or with a peer URL on the node's address)
 * @param signsOfLife each way the node still answers; any one refuses the purge
 * @param quorumProblem why removing its etcd member would leave etcd without quorum (or cannot commit at all)
 */
public record PurgeCheck(String name, Optional<NodeStatus> node, Optional<EtcdMember> member, List<String> signsOfLife,
                         Optional<String> quorumProblem) {
    public PurgeCheck {
        signsOfLife = List.copyOf(signsOfLife);
    }

    public boolean exists() {
        return node.isPresent() || member.isPresent();
    }

    public boolean master() {
        return node.map(NodeStatus::master).orElse(false) || member.isPresent();
    }

    /** Nothing speaks against the purge. */
    public boolean safe() {
        return signsOfLife.isEmpty() && quorumProblem.isEmpty();
    }

    /** The reasons it is refused without --force, one sentence each. */
    public List<String> refusals() {
        List<String> out = new ArrayList<>();
        if (!signsOfLife.isEmpty()) {
            out.add(name + " still answers: " + String.join("; ", signsOfLife)
                    + " (a node that answers is not lost: stop it, or run 'kubestead reset' on it)");
        }
        quorumProblem.ifPresent(out::add);
        return out;
    }
}
