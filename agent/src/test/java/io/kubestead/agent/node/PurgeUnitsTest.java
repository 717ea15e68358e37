package io.kubestead.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurgeUnitsTest {
    @Test
    void theCheckScriptIsShellcheckClean(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("purge-lost-check.sh");
        Files.writeString(script, PurgeUnits.checkScript());
        Process p = new ProcessBuilder("shellcheck", "-s", "sh", script.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void theTimerRunsTheCheckNotTheJvm() {
        assertTrue(PurgeUnits.service().contains("ExecStart=/bin/sh " + PurgeUnits.CHECK));
        assertTrue(PurgeUnits.timer().contains("OnUnitActiveSec=2min"));
        assertTrue(PurgeUnits.checkScript().endsWith("exec /opt/kubestead/bin/kubestead node purge-lost\n"));
    }
}
