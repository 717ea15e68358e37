package io.kubestead.agent.join;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Renews the lock every ttl/3 in the background while the join runs (kubeadm join takes minutes, longer than
 * the ttl). A failed renewal is retried at the next tick; a lost lock is remembered and reported by
 * {@link #ensureHeld()}.
 */
final class LockRenewer implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final AtomicReference<LockLostException> lost = new AtomicReference<>();

    LockRenewer(ClusterLock lock, String holder, Duration ttl, Consumer<String> progress) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "join-lock-renewer-" + holder);
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(() -> {
            if (lost.get() != null) {
                return;
            }
            try {
                lock.renew(holder);
            } catch (LockLostException e) {
                lost.set(e);
                progress.accept("warning: " + e.getMessage());
            } catch (RuntimeException e) {
                progress.accept("warning: could not renew the control-plane join lock (will retry): " + e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Throws when the lock was lost: another join may have run alongside ours. */
    void ensureHeld() {
        LockLostException e = lost.get();
        if (e != null) {
            throw new JoinGateException("the control-plane join lock was lost during the join (" + e.getMessage()
                    + "); check that etcd is healthy before joining more masters", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
