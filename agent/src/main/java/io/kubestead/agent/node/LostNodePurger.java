package io.kubestead.agent.node;

import io.kubestead.agent.join.ClusterLock;
import io.kubestead.agent.join.KubeApi;
import io.kubestead.agent.status.NodeReader;
import io.kubestead.agent.status.NodeStatus;
import io.kubestead.agent.status.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One round of the automatic purge, run by each master's timer: the master that holds the Lease
 * {@code kube-system/kubestead-node-purger} purges every node that has not been Ready for {@code purge-after}, with
 * the guards of {@code kubestead node purge} (a node that still answers, or whose etcd member cannot go without
 * breaking quorum, is left and said so). The others see the holder and do nothing this round.
 */
public final class LostNodePurger {
    public static final String LEASE = "kubestead-node-purger";
    /** Longer than a round takes; a purger that died frees the Lease for the next round of another master. */
    public static final Duration LEASE_TTL = Duration.ofMinutes(5);

    private final KubeApi api;
    private final NodePurge purge;
    private final ClusterLock lock;
    private final Clock clock;

    public LostNodePurger(KubeApi api, NodePurge purge, ClusterLock lock, Clock clock) {
        this.api = api;
        this.purge = purge;
        this.lock = lock;
        this.clock = clock;
    }

    /** The names it purged. */
    public List<String> round(String self, Consumer<String> say, Consumer<String> warn) {
        Duration after = PurgeSettings.read(api);
        if (after.isZero()) {
            say.accept("automatic purge is off (purge-after=0 or no " + PurgeSettings.NAMESPACE + "/" + PurgeSettings.NAME + ")");
            return List.of();
        }
        ClusterLock.Attempt attempt = lock.tryAcquire(self, LEASE_TTL);
        if (!attempt.acquired()) {
            say.accept(attempt.holder().map(ClusterLock.Holder::identity).orElse("another master")
                    + " holds the Lease " + LEASE + ": it purges this round");
            return List.of();
        }
        List<String> purged = new ArrayList<>();
        try {
            Instant now = clock.instant();
            List<NodeStatus> nodes = NodeReader.read(api.get("/api/v1/nodes").orElseThrow(),
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
            for (NodeStatus n : nodes) {
                Optional<Duration> lost = lostFor(n, now);
                if (n.name().equals(self) || lost.isEmpty() || lost.get().compareTo(after) < 0) {
                    continue;
                }
                try {
                    PurgeCheck check = purge.check(n.name());
                    if (!check.safe()) {
                        warn.accept("not purging " + n.name() + " (not Ready for " + Durations.human(lost.get()) + "): "
                                + String.join("; ", check.refusals()));
                        continue;
                    }
                    purge.purge(check, false, "automatic purge by " + self + ": not Ready for "
                            + Durations.human(lost.get()) + ", purge-after=" + Durations.human(after), say, warn);
                    purged.add(n.name());
                } catch (RuntimeException e) {
                    // one node's failure (etcd refusing, the API) must not keep the round from the others
                    warn.accept("could not purge " + n.name() + ": " + e.getMessage());
                }
            }
        } finally {
            lock.release(self);
        }
        return purged;
    }

    /** How long the node has not been Ready: since its Ready condition last changed (or since it was made). */
    static Optional<Duration> lostFor(NodeStatus n, Instant now) {
        if (n.isReady()) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(n.readyChanged().orElse(n.created()), now));
    }
}
