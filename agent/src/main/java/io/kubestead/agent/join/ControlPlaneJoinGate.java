package io.kubestead.agent.join;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Serializes control-plane joins across the cluster, removing the known etcd break when two masters join at
 * once (a second learner is refused; a second voter added before the first started loses quorum). Steps: take
 * the cluster lock (waiting for another joiner), check etcd (all healthy, no learner pending), run the join
 * (kubeadm join), wait until this node's etcd member is a healthy voter, release the lock. The lock is renewed
 * in the background meanwhile and released even when a step fails.
 */
public final class ControlPlaneJoinGate {
    /** The join itself, e.g. "run kubeadm join --config ..." on this host. */
    @FunctionalInterface
    public interface JoinAction {
        void run() throws Exception;
    }

    private final ClusterLock lock;
    private final EtcdJoinReadiness etcd;
    private final JoinGateSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> progress;

    public ControlPlaneJoinGate(ClusterLock lock, EtcdClient etcd, JoinGateSettings settings, Clock clock,
            Sleeper sleeper, Consumer<String> progress) {
        this.lock = lock;
        this.etcd = new EtcdJoinReadiness(etcd, settings, clock, sleeper, progress);
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    public ControlPlaneJoinGate(ClusterLock lock, EtcdClient etcd, Consumer<String> progress) {
        this(lock, etcd, JoinGateSettings.defaults(), Clock.systemUTC(), Sleeper.system(), progress);
    }

    /**
     * Joins {@code nodeName} (also its etcd member name and lock identity) through the gate.
     *
     * @return this node's etcd member, a healthy voter
     * @throws JoinGateException lock timeout, etcd unhealthy, learner or promotion timeout, lock lost
     * @throws Exception whatever {@code join} throws, unchanged (the lock is released first)
     */
    public EtcdMember join(String nodeName, JoinAction join) throws Exception {
        acquire(nodeName);
        try (LockRenewer renewer = new LockRenewer(lock, nodeName, settings.lockTtl(), progress)) {
            etcd.awaitReadyForJoin();
            renewer.ensureHeld();
            try {
                join.run();
            } catch (Exception | Error e) {
                etcd.removeLeftoverLearners();
                throw e;
            }
            EtcdMember member = etcd.awaitPromoted(nodeName);
            renewer.ensureHeld();
            return member;
        } finally {
            release(nodeName);
        }
    }

    private void acquire(String me) throws InterruptedException {
        Instant deadline = clock.instant().plus(settings.lockTimeout());
        Duration backoff = settings.poll();
        String lastHolder = null;
        while (true) {
            ClusterLock.Attempt attempt;
            try {
                attempt = lock.tryAcquire(me, settings.lockTtl());
            } catch (KubeApiException e) {
                if (e.status() / 100 == 4) {
                    throw new JoinGateException("the API server refused the control-plane join lock (Lease "
                            + LeaseLock.NAMESPACE + "/" + LeaseLock.NAME + "): " + e.getMessage(), e);
                }
                attempt = null;
                progress.accept("cannot reach the API server for the join lock, retrying: " + e.getMessage());
            }
            if (attempt != null && attempt.acquired()) {
                progress.accept("acquired the control-plane join lock");
                return;
            }
            Optional<ClusterLock.Holder> holder = attempt == null ? Optional.empty() : attempt.holder();
            if (holder.isPresent() && !holder.get().identity().equals(lastHolder)) {
                lastHolder = holder.get().identity();
                progress.accept("waiting for " + lastHolder + " to finish joining (holds the join lock since "
                        + holder.get().acquiredAt() + ")");
            }
            if (clock.instant().isAfter(deadline)) {
                throw new JoinGateException(holder.map(h -> "timed out after " + EtcdJoinReadiness.human(settings.lockTimeout())
                        + " waiting for the control-plane join lock: " + h.identity() + " has held it since "
                        + h.acquiredAt() + "; wait for that join to finish, or if " + h.identity()
                        + " has stopped, the lock frees itself " + EtcdJoinReadiness.human(h.ttl())
                        + " after its last renewal").orElse("timed out after "
                        + EtcdJoinReadiness.human(settings.lockTimeout()) + " trying to take the control-plane join lock"));
            }
            sleeper.sleep(jitter(backoff));
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    private void release(String me) {
        try {
            lock.release(me);
        } catch (RuntimeException e) {
            progress.accept("warning: could not release the control-plane join lock (it expires in "
                    + EtcdJoinReadiness.human(settings.lockTtl()) + "): " + e.getMessage());
        }
    }

    /** Up to +25% so joiners that started together do not retry in lockstep. */
    private static Duration jitter(Duration d) {
        return d.plusMillis(ThreadLocalRandom.current().nextLong(d.toMillis() / 4 + 1));
    }
}
