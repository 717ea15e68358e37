package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class LockRenewerTest {
    final FakeKubeApi api = new FakeKubeApi();
    final Queue<String> progress = new ConcurrentLinkedQueue<>();

    /** A join longer than the ttl keeps the lock: others polling meanwhile never get it. */
    @Test
    void keepsTheLockWhileTheJoinOutlivesTheTtl() throws Exception {
        Duration ttl = Duration.ofSeconds(2); // renewed every ~670 ms; slack for a loaded machine
        LeaseLock mine = new LeaseLock(api, Clock.systemUTC());
        LeaseLock other = new LeaseLock(api, Clock.systemUTC());
        assertTrue(mine.tryAcquire("cp-2", ttl).acquired());
        long end = System.nanoTime() + 3_000_000_000L; // longer than the ttl
        try (LockRenewer renewer = new LockRenewer(mine, "cp-2", ttl, progress::add)) {
            while (System.nanoTime() < end) {
                assertFalse(other.tryAcquire("cp-3", ttl).acquired(), "cp-3 got the lock during cp-2's join");
                Thread.sleep(100);
            }
            renewer.ensureHeld();
        }
        assertTrue(progress.isEmpty(), progress.toString());
    }

    @Test
    void aLockLostToATakeoverIsReported() throws Exception {
        Duration ttl = Duration.ofSeconds(1);
        assertTrue(new LeaseLock(api, Clock.systemUTC()).tryAcquire("cp-2", ttl).acquired());
        // cp-3's clock runs ahead (or cp-2 stalled): it sees the lease expired and takes it.
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5));
        assertTrue(new LeaseLock(api, ahead).tryAcquire("cp-3", Duration.ofSeconds(60)).acquired());
        try (LockRenewer renewer = new LockRenewer(new LeaseLock(api, Clock.systemUTC()), "cp-2", ttl, progress::add)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (progress.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            JoinGateException e = assertThrows(JoinGateException.class, renewer::ensureHeld);
            assertTrue(e.getMessage().startsWith("the control-plane join lock was lost during the join (lost the "
                    + "lease kubestead-control-plane-join to cp-3"), e.getMessage());
        }
        assertEquals("warning: lost the lease kubestead-control-plane-join to cp-3 (it expired before renewal)",
                progress.peek());
    }
}
