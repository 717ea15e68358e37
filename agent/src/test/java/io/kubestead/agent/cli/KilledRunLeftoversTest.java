package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed while the atomic writer had a temporary beside ca.crt and state.json leaves those temporaries (0600)
 * behind; the rerun removes the ones no live process holds, and only files named as the writer names them.
 */
class KilledRunLeftoversTest {
    @TempDir
    Path tmp;

    /** A host that dies (as a kill leaves it: no cleanup) when asked to write {@code path}. */
    private record DyingHost(RootedHost inner, String path) implements Host {
        @Override public String name() { return inner.name(); }
        @Override public ExecResult run(Command c) { return inner.run(c); }
        @Override public void writeFile(String p, byte[] b, int m) {
            if (p.equals(path)) {
                throw new KillAndResumeTest.Killed();
            }
            inner.writeFile(p, b, m);
        }
        @Override public Optional<byte[]> readFile(String p) { return inner.readFile(p); }
        @Override public boolean exists(String p) { return inner.exists(p); }
        @Override public void delete(String p) { inner.delete(p); }
        @Override public void move(String a, String b) { inner.move(a, b); }
        @Override public void mkdirs(String p, int m) { inner.mkdirs(p, m); }
        @Override public List<String> list(String d) { return inner.list(d); }
        @Override public Optional<Integer> mode(String p) { return inner.mode(p); }
    }

    private int install(StandInNode node, KubeadmStandIn kubeadm, String killBeforeWriting) {
        CliEnvironment env = new CliEnvironment(new PrintWriter(new java.io.StringWriter(), true),
                new PrintWriter(new java.io.StringWriter(), true), new io.kubestead.agent.host.HostFacts("node-1", "10.0.0.5", "apt"),
                io.kubestead.agent.spec.Prompter.NONE, tmp, Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC),
                true, false, log -> new DyingHost(new RootedHost("test", node.root, kubeadm, log), killBeforeWriting),
                Map.of(), Duration.ZERO);
        return Main.run(env, "install", "yes", "key-algorithm=ecdsa-p256");
    }

    /** A 0600 file as the writer's temporary is left, last written an hour ago. */
    private static Path leftover(Path dir, String name) throws Exception {
        Path p = Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(p, "half-written");
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return p;
    }

    @Test
    void theRerunRemovesTheTemporariesOfAKilledRunAndKeepsThoseOfALiveWriter() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        // killed in the middle of writing the CA certificate: its key is there, the certificate is not
        assertThrows(KillAndResumeTest.Killed.class, () -> install(node, kubeadm, "/etc/kubernetes/pki/ca.crt"));
        Path pki = node.root.resolve("etc/kubernetes/pki");
        Path state = node.root.resolve("var/lib/kubestead");
        assertTrue(Files.exists(pki.resolve("ca.key")) && !Files.exists(pki.resolve("ca.crt")));

        Process gone = new ProcessBuilder("sleep", "60").start();
        long deadPid = gone.pid();
        gone.destroy();
        gone.waitFor();
        Process writer = new ProcessBuilder("sleep", "60").start();
        try {
            List<Path> stale = new ArrayList<>(List.of(
                    // as agents before this one named them, and as this writer names them with a process that is gone
                    leftover(pki, ".ca.crt5829301846612093871.tmp"),
                    leftover(state, ".state.json1234567890123.tmp"),
                    leftover(pki, ".ca.crt.kubestead-" + deadPid + "-42.tmp")));
            // a temporary of a process that is alive and started before the file was written: that writer may finish
            Path live = Files.writeString(pki.resolve(".ca.crt.kubestead-" + writer.pid() + "-7.tmp"), "in progress");
            // not the writer's pattern: a user's file stays whatever its age
            Path foreign = leftover(pki, ".ca.crt.backup.tmp");

            assertEquals(0, install(node, kubeadm, null));
            assertTrue(Files.exists(pki.resolve("ca.crt")));
            for (Path p : stale) {
                assertFalse(Files.exists(p), p + " left behind");
            }
            assertTrue(Files.exists(live), "a live writer's temporary is kept");
            assertTrue(Files.exists(foreign), "a file not named as the writer names its temporaries is kept");
        } finally {
            writer.destroy();
            writer.waitFor();
        }
    }

}
