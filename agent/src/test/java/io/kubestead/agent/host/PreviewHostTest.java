package io.kubestead.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewHostTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheRealHostAndChangesNothingOnIt() throws Exception {
        List<Command> ran = new java.util.ArrayList<>();
        RootedHost real = new RootedHost("real", tmp.resolve("real"), c -> {
            ran.add(c);
            return new ExecResult(c, 1, "", "");
        }, new ActionLog());
        real.writeString("/etc/kubestead/a", "A", 0644);
        real.writeString("/etc/hosts", "old\n", 0644);
        ActionLog log = new ActionLog();
        PreviewHost p = new PreviewHost(real, new RootedHost("dry", tmp.resolve("dry"), c -> null, log), log);

        assertEquals(Optional.of("A"), p.readString("/etc/kubestead/a"));
        p.delete("/etc/kubestead/a");
        p.delete("/etc/kubestead");
        p.delete("/nothing");
        assertFalse(p.exists("/etc/kubestead/a"));
        assertEquals(List.of(), p.list("/etc/kubestead"));
        p.writeString("/etc/hosts", "new\n", 0644);
        assertEquals(Optional.of("new\n"), p.readString("/etc/hosts"));
        assertTrue(p.run("kubeadm", "reset", "--force").ok());

        assertEquals("A", Files.readString(tmp.resolve("real/etc/kubestead/a")));
        assertEquals("old\n", Files.readString(tmp.resolve("real/etc/hosts")));
        assertEquals("new\n", Files.readString(tmp.resolve("dry/etc/hosts")));
        assertEquals(List.of(), ran, "no command reaches the real host");
        assertEquals(List.of("   delete /etc/kubestead/a", "   delete /etc/kubestead",
                "   write /etc/hosts (mode 0644, 4 bytes)", "   run: kubeadm reset --force"), log.lines());
    }
}
