package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.console.ConsolePaths;
import io.kubestead.agent.console.PasswordHash;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install sets up the console on the first master: its unit, a generated password shown once (only its hash kept),
 * or the password of console-password-file; console=off takes it away again; console password sets a new one.
 */
class ConsoleInstallTest {
    @TempDir
    Path tmp;

    @Test
    void installRunsTheConsoleAndShowsAGeneratedPasswordOnceOnTheTerminal() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        h.terminal = true;
        assertEquals(0, h.run("install", "yes"), h.err.toString());

        String unit = Files.readString(node.root.resolve(ConsolePaths.UNIT.substring(1)));
        assertTrue(unit.contains("ExecStart=/opt/kubestead/bin/kubestead console port=8800\n"), unit);
        assertTrue(node.displayed().contains("systemctl enable kubestead-console"), node.displayed().toString());
        assertTrue(node.displayed().contains("systemctl restart kubestead-console"), node.displayed().toString());
        Path hash = node.root.resolve(ConsolePaths.PASSWORD_HASH.substring(1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hash)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hash.getParent())));

        String out = h.out.toString();
        assertTrue(out.contains("Console: https://10.0.0.5:8800/"), out);
        String shown = out.lines().filter(l -> l.startsWith("Console password (shown this once"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(PasswordHash.parse(Files.readAllBytes(hash), "hash").matches(shown.toCharArray()));
        assertFalse(Files.readString(hash).contains(shown), "only the hash is kept");
        assertFalse(Files.exists(node.root.resolve(ConsolePaths.INITIAL_PASSWORD.substring(1))), "shown once, then gone");

        // a rerun keeps the password: nothing new to show
        CliHarness again = new CliHarness(tmp, node.root, kubeadm);
        again.terminal = true;
        assertEquals(0, again.run("install", "yes"), again.err.toString());
        assertFalse(again.out.toString().contains("Console password"), again.out.toString());
        assertTrue(PasswordHash.parse(Files.readAllBytes(hash), "hash").matches(shown.toCharArray()));

        // console=off stops the service and removes its unit
        CliHarness off = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, off.run("install", "console=off", "yes"), off.err.toString());
        assertFalse(Files.exists(node.root.resolve(ConsolePaths.UNIT.substring(1))));
        assertTrue(node.displayed().contains("systemctl disable --now kubestead-console"), node.displayed().toString());
        assertFalse(off.out.toString().contains("Console:"), off.out.toString());
    }

    @Test
    void withoutATerminalThePasswordStaysInA0600FileAndIsNeverPrinted() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, h.run("install", "console-port=9443", "yes"), h.err.toString());
        Path initial = node.root.resolve(ConsolePaths.INITIAL_PASSWORD.substring(1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(initial)));
        String password = Files.readString(initial).strip();
        assertTrue(password.length() >= 20, password);
        assertFalse(h.out.toString().contains(password) || h.err.toString().contains(password), "never printed to a log");
        assertTrue(h.out.toString().contains("Console password: in " + ConsolePaths.INITIAL_PASSWORD), h.out.toString());
        assertTrue(Files.readString(node.root.resolve(ConsolePaths.UNIT.substring(1))).contains("console port=9443"));
    }

    @Test
    void aPasswordFileSetsThePasswordAtInstallAndConsolePasswordChangesIt() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        Path file = tmp.resolve("console-password");
        Files.writeString(file, "chosen by the operator\n");
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, h.run("install", "console-password-file=" + file, "yes"), h.err.toString());
        Path hash = node.root.resolve(ConsolePaths.PASSWORD_HASH.substring(1));
        assertTrue(PasswordHash.parse(Files.readAllBytes(hash), "hash").matches("chosen by the operator".toCharArray()));
        assertFalse(Files.exists(node.root.resolve(ConsolePaths.INITIAL_PASSWORD.substring(1))));
        assertFalse(h.out.toString().contains("Console password"), h.out.toString());

        Files.writeString(file, "a second password here\n");
        CliHarness set = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, set.run("console", "password", "from-file=" + file), set.err.toString());
        assertTrue(PasswordHash.parse(Files.readAllBytes(hash), "hash").matches("a second password here".toCharArray()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hash)));

        CliHarness bad = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(2, bad.run("console", "password", "words=nonsense"));
        assertTrue(bad.err.toString().contains("unknown word 'words=nonsense'"), bad.err.toString());
    }
}
