package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LeaseLockTest {
    static final Duration TTL = Duration.ofSeconds(60);
    final FakeKubeApi api = new FakeKubeApi();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05.123456Z"));
    final LeaseLock lock = new LeaseLock(api, clock);

    @Test
    void createsTheLeaseWhenAbsentAndRecordsHolderAndTimes() {
        ClusterLock.Attempt a = lock.tryAcquire("cp-2", TTL);
        assertTrue(a.acquired());
        assertEquals(new ClusterLock.Holder("cp-2", clock.instant(), clock.instant(), TTL), a.holder().orElseThrow());
        ObjectNode lease = api.get(LeaseLock.PATH).orElseThrow();
        assertEquals("Lease", lease.path("kind").asText());
        assertEquals("kube-system", lease.path("metadata").path("namespace").asText());
        assertEquals("2026-01-02T03:04:05.123456Z", lease.path("spec").path("renewTime").asText());
        assertEquals(60, lease.path("spec").path("leaseDurationSeconds").asInt());
    }

    @Test
    void aSecondHolderIsRefusedAndSeesWhoHoldsIt() {
        lock.tryAcquire("cp-2", TTL);
        clock.advance(Duration.ofSeconds(59));
        ClusterLock.Attempt b = lock.tryAcquire("cp-3", TTL);
        assertFalse(b.acquired());
        assertEquals("cp-2", b.holder().orElseThrow().identity());
    }

    @Test
    void renewKeepsTheLockPastTheOriginalExpiry() {
        lock.tryAcquire("cp-2", TTL);
        clock.advance(Duration.ofSeconds(50));
        lock.renew("cp-2");
        clock.advance(Duration.ofSeconds(50)); // 100 s after acquiring, 50 s after renewing
        ClusterLock.Attempt b = lock.tryAcquire("cp-3", TTL);
        assertFalse(b.acquired());
        assertEquals(clock.instant().minusSeconds(50), b.holder().orElseThrow().renewedAt());
    }

    @Test
    void anExpiredLockIsTakenOverAndTheOldHolderLearnsItLostIt() {
        lock.tryAcquire("cp-2", TTL);
        clock.advance(Duration.ofSeconds(61)); // cp-2 crashed: no renewal
        ClusterLock.Attempt b = lock.tryAcquire("cp-3", TTL);
        assertTrue(b.acquired());
        assertEquals(clock.instant(), b.holder().orElseThrow().acquiredAt());
        assertEquals(1, api.get(LeaseLock.PATH).orElseThrow().path("spec").path("leaseTransitions").asInt());
        LockLostException lost = assertThrows(LockLostException.class, () -> lock.renew("cp-2"));
        assertTrue(lost.getMessage().contains("to cp-3"), lost.getMessage());
        lock.release("cp-2"); // not ours any more: no effect
        assertFalse(lock.tryAcquire("cp-4", TTL).acquired());
    }

    @Test
    void releaseFreesTheLockForTheNextJoinerAndReacquiringOwnLockWorks() {
        lock.tryAcquire("cp-2", TTL);
        assertTrue(lock.tryAcquire("cp-2", TTL).acquired(), "re-entry by the same holder (a rerun)");
        lock.release("cp-2");
        assertTrue(api.get(LeaseLock.PATH).orElseThrow().path("spec").path("holderIdentity").isMissingNode());
        ClusterLock.Attempt b = lock.tryAcquire("cp-3", TTL);
        assertTrue(b.acquired());
        assertThrows(LockLostException.class, () -> lock.renew("cp-2"));
    }

    /** A Lease written by hand (kubectl) without times or spec does not wedge joins. */
    @Test
    void aHandMadeLeaseWithoutTimesOrSpecCountsAsExpired() {
        ObjectNode bare = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        bare.putObject("metadata").put("name", LeaseLock.NAME);
        api.create(LeaseLock.COLLECTION, bare);
        assertTrue(lock.tryAcquire("cp-2", TTL).acquired());
        ObjectNode noTimes = api.get(LeaseLock.PATH).orElseThrow();
        ((ObjectNode) noTimes.path("spec")).put("holderIdentity", "someone").remove(List.of("renewTime", "acquireTime"));
        api.update(LeaseLock.PATH, noTimes);
        ClusterLock.Attempt a = lock.tryAcquire("cp-3", TTL);
        assertTrue(a.acquired());
        assertEquals("cp-3", a.holder().orElseThrow().identity());
    }

    /** Many joiners race for a free and then for an expired lease: exactly one wins each round. */
    @Test
    void racingJoinersNeverBothWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 40; round++) {
                int n = 4;
                CyclicBarrier start = new CyclicBarrier(n);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String me = "cp-" + round + "-" + i;
                    results.add(pool.submit(() -> {
                        start.await();
                        return lock.tryAcquire(me, TTL).acquired();
                    }));
                }
                int winners = 0;
                for (Future<Boolean> f : results) {
                    winners += f.get() ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round);
                clock.advance(TTL.plusSeconds(1)); // the winner "crashes": next round races for an expired lease
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
