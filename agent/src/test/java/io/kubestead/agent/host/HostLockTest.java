package io.kubestead.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two real processes contending for the host lock. */
@Timeout(120)
class HostLockTest {
    @TempDir
    Path tmp;

    private RootedHost host() {
        return new RootedHost("test", tmp, c -> new ExecResult(c, 0, "", ""), new ActionLog());
    }

    @Test
    void aSecondCommandIsToldWhoHoldsTheLockAndGetsItOnceTheHolderEnds() throws Exception {
        Process holder = LockHolder.hold(tmp, "install");
        Path file = tmp.resolve("run/kubestead.lock");
        HostLockBusyException busy = assertThrows(HostLockBusyException.class,
                () -> HostLock.take(host(), "lb-sync", Instant.now(), Duration.ZERO, h -> { }));
        assertEquals("install", busy.holder().command());
        assertEquals(Long.toString(holder.pid()), busy.holder().pid());
        Instant.parse(busy.holder().since());
        assertEquals("install (pid " + holder.pid() + ", started " + busy.holder().since() + ") holds the host lock "
                + file + ": run this again once it has finished", busy.getMessage());

        holder.getOutputStream().close();
        assertEquals(0, holder.waitFor());
        try (HostLock lock = HostLock.take(host(), "lb-sync", Instant.parse("2026-12-02T17:00:00Z"), Duration.ZERO, h -> { })) {
            assertEquals("command=lb-sync\npid=" + ProcessHandle.current().pid() + "\nstarted=2026-12-02T17:00:00Z\n",
                    Files.readString(file));
        }
    }

    @Test
    void aKilledHolderLeavesNoLockBehind() throws Exception {
        Process holder = LockHolder.hold(tmp, "join");
        holder.destroyForcibly();
        holder.waitFor();
        try (HostLock lock = HostLock.take(host(), "install", Instant.now(), Duration.ZERO, h -> { })) {
            assertTrue(Files.readString(tmp.resolve("run/kubestead.lock")).startsWith("command=install\n"));
        }
    }

    @Test
    void aWaitingCommandSaysWhoItWaitsForAndGoesOnWhenTheLockIsFree() throws Exception {
        HostLock mine = HostLock.take(host(), "install", Instant.parse("2026-12-02T17:00:00Z"), Duration.ZERO, h -> { });
        Process waiter = LockHolder.java(LockHolder.class, Map.of(), tmp.toString(), "join", "600");
        BufferedReader out = new BufferedReader(new InputStreamReader(waiter.getInputStream()));
        assertEquals("waiting: install (pid " + ProcessHandle.current().pid() + ", started 2026-12-02T17:00:00Z)", out.readLine());
        mine.close();
        assertEquals("locked", out.readLine());
        assertThrows(HostLockBusyException.class, () -> HostLock.take(host(), "reset", Instant.now(), Duration.ZERO, h -> { }));
        waiter.getOutputStream().close();
        assertEquals(0, waiter.waitFor());
    }
}
