package io.kubestead.agent.etcd;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A cluster-wide lock in etcd: a key created only if absent, attached to a lease that a background thread keeps
 * alive. A holder that dies loses the lock when its lease expires ({@code ttl}); closing revokes the lease, which
 * deletes the key at once. The masters share etcd, which stays up while an API server restarts, so the lock does
 * not depend on the component being restarted.
 */
public final class EtcdLock implements AutoCloseable {
    private final EtcdClient etcd;
    private final long lease;
    private final ScheduledExecutorService keeper;

    private EtcdLock(EtcdClient etcd, long lease, Duration ttl) {
        this.etcd = etcd;
        this.lease = lease;
        this.keeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etcd-lock-keepalive");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, ttl.toMillis() / 3);
        keeper.scheduleWithFixedDelay(() -> {
            try {
                etcd.keepAlive(lease);
            } catch (RuntimeException e) {
                // retried at the next tick; the ttl leaves two more
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * One attempt: the lock when the key was free, else empty with {@code holder} told who has it. A lease granted
     * for a lost attempt is revoked.
     */
    public static Optional<EtcdLock> tryAcquire(EtcdClient etcd, String key, String holder, Duration ttl,
                                                java.util.function.Consumer<String> held) {
        long lease = etcd.grantLease(ttl);
        Optional<String> current;
        try {
            current = etcd.createIfAbsent(key, holder, lease);
        } catch (RuntimeException e) {
            quietlyRevoke(etcd, lease);
            throw e;
        }
        if (current.isPresent()) {
            quietlyRevoke(etcd, lease);
            held.accept(current.get());
            return Optional.empty();
        }
        return Optional.of(new EtcdLock(etcd, lease, ttl));
    }

    private static void quietlyRevoke(EtcdClient etcd, long lease) {
        try {
            etcd.revoke(lease);
        } catch (RuntimeException e) {
            // it expires on its own
        }
    }

    @Override
    public void close() {
        keeper.shutdownNow();
        quietlyRevoke(etcd, lease);
    }
}
