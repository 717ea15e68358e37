package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status and node purge refuse bad options and hosts that are not masters before asking anything (exit 2). */
class OperateCommandsTest {
    @Test
    void statusOffAMasterOrWithAnUnknownFormatExitsTwo(@TempDir Path dir) {
        CliHarness h = new CliHarness(dir);
        assertEquals(2, h.run("status"));
        assertTrue(h.err.toString().contains("/etc/kubernetes/admin.conf is missing: run this on a master"), h.err.toString());
        CliHarness yaml = new CliHarness(dir);
        assertEquals(2, yaml.run("status", "-o", "yaml"));
        assertTrue(yaml.err.toString().contains("-o yaml: give text or json"), yaml.err.toString());
    }

    @Test
    void nodePurgeNeedsAValidNameAndAMaster(@TempDir Path dir) {
        CliHarness h = new CliHarness(dir);
        assertEquals(2, h.run("node", "purge", "Bad_Name\u001b[2J"));
        assertTrue(h.err.toString().contains("is not a valid node name"), h.err.toString());
        assertTrue(!h.err.toString().contains("\u001b"), "the escape is shown, not sent");
        CliHarness off = new CliHarness(dir);
        assertEquals(2, off.run("node", "purge", "w-1"));
        assertTrue(off.err.toString().contains("admin.conf is missing: run this on a master"), off.err.toString());
        CliHarness help = new CliHarness(dir);
        assertEquals(0, help.run("node", "--help"));
        assertTrue(help.out.toString().contains("purge"), help.out.toString());
        assertTrue(!help.out.toString().contains("purge-lost"), "the timer's subcommand is hidden");
    }
}
