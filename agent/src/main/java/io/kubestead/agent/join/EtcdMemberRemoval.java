package io.kubestead.agent.join;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The etcd step of resetting a master: remove its member (named after the node) unless that would break quorum
 * ({@link QuorumGuard}). etcd refuses membership changes for 5 s after a peer (re)connects ("etcdserver:
 * unhealthy cluster"); that refusal is retried for {@code retry}.
 */
public final class EtcdMemberRemoval {
    private final EtcdClient etcd;
    private final Duration retry;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> progress;

    /** @param etcd should reach members other than the one removed (it stops serving once removed) */
    public EtcdMemberRemoval(EtcdClient etcd, Duration retry, Clock clock, Sleeper sleeper, Consumer<String> progress) {
        this.etcd = etcd;
        this.retry = retry;
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    /**
     * @return the removed member, or empty when no member has this name (already removed: nothing to do)
     * @throws JoinGateException when removal would break quorum or etcd keeps refusing it
     */
    public Optional<EtcdMember> remove(String nodeName) throws InterruptedException {
        List<EtcdMember> members = etcd.members();
        Optional<EtcdMember> target = members.stream().filter(m -> m.name().equals(nodeName)).findFirst();
        if (target.isEmpty()) {
            progress.accept("etcd has no member named " + nodeName + "; nothing to remove");
            return Optional.empty();
        }
        Set<Long> healthy = members.stream().filter(etcd::healthy).map(EtcdMember::id).collect(Collectors.toSet());
        QuorumGuard.requireSafeRemoval(members, healthy, target.get().id());
        Instant deadline = clock.instant().plus(retry);
        while (true) {
            try {
                etcd.remove(target.get().id());
                progress.accept("removed etcd member " + target.get().label());
                return target;
            } catch (EtcdException e) {
                if (e.getMessage().contains("member not found")) {
                    return target; // removed meanwhile (a rerun)
                }
                if (!e.getMessage().contains("unhealthy cluster") || clock.instant().isAfter(deadline)) {
                    throw new JoinGateException("could not remove etcd member " + target.get().label() + ": "
                            + e.getMessage(), e);
                }
                sleeper.sleep(Duration.ofMillis(500));
            }
        }
    }
}
