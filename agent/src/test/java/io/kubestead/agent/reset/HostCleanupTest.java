package io.kubestead.agent.reset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCleanupTest {
    @TempDir
    Path tmp;

    RootedHost host() {
        return new RootedHost("t", tmp, c -> new ExecResult(c, 0, "", ""), new ActionLog());
    }

    @Test
    void removesATreeAndReportsItOnce() {
        RootedHost h = host();
        h.writeString("/var/lib/kubestead/a/b/secret.json", "{}", 0600);
        h.writeString("/var/lib/kubestead/state.json", "{}", 0644);
        ResetReport report = new ResetReport();
        assertTrue(new HostCleanup(h, report).removeTree("/var/lib/kubestead", "state"));
        assertFalse(Files.exists(tmp.resolve("var/lib/kubestead")));
        assertTrue(Files.isDirectory(tmp.resolve("var/lib")), "only the tree itself goes");
        assertFalse(new HostCleanup(h, report).removeTree("/var/lib/kubestead", "state"));
        assertEquals(List.of("Removed: /var/lib/kubestead (state)"), report.lines());
    }

    @Test
    void leavesBalancerFilesWithoutKubesteadsMark() {
        RootedHost h = host();
        h.writeString("/etc/keepalived/keepalived.conf", "global_defs {}\n", 0644);
        ResetReport report = new ResetReport();
        assertFalse(new HostCleanup(h, report).removeIfMarked("/etc/keepalived/keepalived.conf", "keepalived"));
        assertTrue(h.exists("/etc/keepalived/keepalived.conf"));
        assertEquals(List.of("Left:    /etc/keepalived/keepalived.conf (not written by Kubestead)"), report.lines());
    }

    @Test
    void hostsBlockGoesAndTheRestStaysWithItsMode() throws Exception {
        RootedHost h = host();
        String before = "127.0.0.1 localhost\n# BEGIN kubestead (managed by Kubestead; edits here are overwritten)\n"
                + "127.0.0.1\tapi.kubernetes.kubestead.internal\n# END kubestead\n::1 localhost6\n";
        h.writeString("/etc/hosts", before, 0604);
        assertTrue(new HostCleanup(h, new ResetReport()).removeHostsBlock("/etc/hosts"));
        assertEquals("127.0.0.1 localhost\n::1 localhost6\n", h.readString("/etc/hosts").orElseThrow());
        assertEquals(0604, h.mode("/etc/hosts").orElseThrow());
        assertFalse(new HostCleanup(h, new ResetReport()).removeHostsBlock("/etc/hosts"), "nothing left to remove");
    }

    @Test
    void aBlockWithoutItsEndIsNotGuessedAt() {
        RootedHost h = host();
        h.writeString("/etc/hosts", "# BEGIN kubestead\n10.0.0.1 api\n10.0.0.2 db\n", 0644);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new HostCleanup(h, new ResetReport()).removeHostsBlock("/etc/hosts"));
        assertTrue(e.getMessage().endsWith("remove the partial block and run kubestead reset again"), e.getMessage());
        assertTrue(h.readString("/etc/hosts").orElseThrow().contains("10.0.0.2 db"));
    }
}
