package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostLock;
import io.kubestead.agent.host.LockHolder;
import io.kubestead.agent.host.RootedHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real kubestead command in a second JVM, contending for the host lock of a dry-run directory or a host root. */
@Timeout(180)
class HostLockCommandTest {
    private static final Instant SINCE = Instant.parse("2026-12-02T17:00:00Z");

    @TempDir
    Path tmp;

    /** Holds the lock of a dry-run directory (marked as one first, as a dry run that got there first would have). */
    private HostLock hold(Path root, String command) {
        io.kubestead.agent.spec.DryRunDir.claim(root);
        return HostLock.take(new RootedHost("t", root, c -> new ExecResult(c, 0, "", ""), new ActionLog()), command, SINCE,
                Duration.ZERO, h -> { });
    }

    private String holder(String command) {
        return command + " (pid " + ProcessHandle.current().pid() + ", started " + SINCE + ")";
    }

    @Test
    void theRealCommandSaysWhoHoldsTheLockWaitsAndExitsNonZero() throws Exception {
        Path dir = tmp.resolve("plan");
        try (HostLock held = hold(dir, "reset")) {
            ProcessBuilder pb = command(Map.of(HostSession.PATIENCE_VARIABLE, "1"), "install", "ha", "dry-run=" + dir);
            Process install = pb.start();
            install.getOutputStream().close();
            String err = new String(install.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, install.waitFor(), err);
            assertEquals(List.of("Waiting for the host lock: " + holder("reset") + " holds it (waiting up to 1 s)",
                    "kubestead: " + holder("reset") + " holds the host lock " + dir.resolve("run/kubestead.lock")
                            + "; waited 1 s for it: run this again once it has finished"), err.lines().toList());
        }
        assertFalse(Files.exists(dir.resolve("plan.txt")));
        assertFalse(Files.exists(dir.resolve("etc/kubestead/install.json")), "nothing was written");
        assertFalse(Files.exists(dir.resolve("var/log/kubestead")), "no run log: the run never started");
    }

    @Test
    void theRealCommandWaitsForTheHolderAndThenRuns() throws Exception {
        Path dir = tmp.resolve("plan");
        Process install;
        try (HostLock held = hold(dir, "set-endpoint")) {
            install = command(Map.of(), "install", "ha", "dry-run=" + dir).start();
            install.getOutputStream().close();
            BufferedReader err = new BufferedReader(new InputStreamReader(install.getErrorStream(), StandardCharsets.UTF_8));
            assertEquals("Waiting for the host lock: " + holder("set-endpoint") + " holds it (waiting up to 60 s)", err.readLine());
        }
        String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, install.waitFor(), out);
        assertTrue(out.contains("Dry-run complete"), out);
        assertTrue(Files.exists(dir.resolve("plan.txt")));
        assertTrue(Files.readString(dir.resolve("run/kubestead.lock")).startsWith("command=install\npid=" + install.pid() + "\n"));
    }

    @Test
    void lbSyncSkipsAtOnceWhileAnotherProcessHoldsTheLock() throws Exception {
        Path root = tmp.resolve("host");
        Process holder = LockHolder.hold(root, "install");
        try {
            CliHarness h = new CliHarness(tmp, root, c -> new ExecResult(c, 0, "", ""));
            assertEquals(0, h.run("lb-sync"), h.err.toString());
            String out = h.out.toString();
            assertTrue(out.matches("lb-sync skipped: install \\(pid " + holder.pid() + ", started [0-9T:.Z-]+\\) holds the host"
                    + " lock; the timer runs it again\n"), out);
            assertEquals("", h.err.toString());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
    }

    @Test
    void certsRenewWaitsForTheLockToo() throws Exception {
        io.kubestead.agent.pki.Pki.create().ensure(new RootedHost("t", tmp, new io.kubestead.agent.host.ProcessRunner(),
                new ActionLog()), io.kubestead.agent.pki.PkiRequest.defaults("cp1", "10.0.0.11",
                io.kubestead.agent.version.KubernetesVersion.parse("1.33.0"))
                .withKeyAlgorithm(io.kubestead.agent.pki.KeyAlgorithm.ECDSA_P256));
        byte[] before = Files.readAllBytes(tmp.resolve("etc/kubernetes/pki/apiserver.crt"));
        Process holder = LockHolder.hold(tmp, "install");
        try {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = new picocli.CommandLine(new CertsCommand(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                    () -> Duration.ZERO)).execute("renew", "all", "--root", tmp.toString());
            assertEquals(1, code, err.toString());
            assertTrue(err.toString().matches("kubestead: install \\(pid " + holder.pid() + ", started [0-9T:.Z-]+\\) holds the host"
                    + " lock " + tmp.resolve("run/kubestead.lock") + ": run this again once it has finished\n"), err.toString());
            assertEquals(List.of(), List.of(out.toString().lines().toArray()));
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(tmp.resolve("etc/kubernetes/pki/apiserver.crt"))));
    }

    /** The real kubestead command line in a JVM of its own, with this test run's class path. */
    private static ProcessBuilder command(Map<String, String> env, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(k -> k.startsWith("KUBESTEAD_"));
        pb.environment().putAll(env);
        return pb;
    }
}
