package io.kubestead.agent.join;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A cluster-wide mutual-exclusion lock with a holder identity and an expiry, so a joiner that crashed stops
 * blocking others once its lock is {@code ttl} old without renewal.
 */
public interface ClusterLock {
    /** Who holds the lock and until when (unless renewed). */
    record Holder(String identity, Instant acquiredAt, Instant renewedAt, Duration ttl) {
        public Instant expiresAt() {
            return renewedAt.plus(ttl);
        }

        public boolean expiredAt(Instant now) {
            return now.isAfter(expiresAt());
        }
    }

    /** The outcome of one attempt: acquired, and the holder after the attempt (empty if nobody holds it). */
    record Attempt(boolean acquired, Optional<Holder> holder) {
    }

    /** One attempt, no waiting: takes the lock when it is free, expired, or already ours. */
    Attempt tryAcquire(String holder, Duration ttl);

    /** Extends our hold by its ttl from now; {@link LockLostException} when someone else holds it now. */
    void renew(String holder);

    /** Frees the lock if we hold it; does nothing otherwise. */
    void release(String holder);
}
