package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.CommandRunner;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.OutputSink;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.PhaseFailedException;
import io.kubestead.agent.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run log of a real run and what a failure shows, with real processes failing and timing out. */
class RunLogTest {
    private static final String SECRET = "abcdef.0123456789abcdef";
    private static final String LOG = "var/log/kubestead/install-20261121T120000Z.log";

    @TempDir
    Path tmp;

    /** A phase that runs what it is given. */
    record Step(String id, Work work) implements Phase {
        interface Work {
            void run(PhaseContext ctx);
        }

        @Override
        public String title() {
            return "Step " + id;
        }

        @Override
        public void run(PhaseContext ctx) {
            work.run(ctx);
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aFailingCommandShowsItsPhaseItsLastLinesAndTheLogWhichHasAllOfItWithoutTheSecret() throws IOException {
        CliHarness h = new CliHarness(tmp, tmp.resolve("host"), new ProcessRunner());
        String script = "for i in $(seq 1 30); do echo \"step $i\"; done; echo \"using token $0\";"
                + " echo 'error: the API did not answer' >&2; exit 7";
        Plan plan = new Plan("demo", List.of(
                new Step("demo/prepare", ctx -> ctx.host().run("sh", "-c", "echo prepared").check()),
                new Step("demo/fail", ctx -> ctx.host().run(Command.of("sh", "-c", script, SECRET)
                        .redacted("sh -c <the script> abcdef.****************")).check())));
        PhaseFailedException e;
        try (PlanExecution run = new PlanExecution(h.env(), Optional.empty(), "install")) {
            e = assertThrows(PhaseFailedException.class, () -> run.run(plan, "demo"));
        }
        assertEquals("phase demo/fail failed: 'sh -c <the script> abcdef.****************' exited 7:"
                + " error: the API did not answer", e.getMessage());
        Path log = tmp.resolve("host").resolve(LOG);
        assertTrue(h.out.toString().contains("Run log: " + log + "\n"), h.out.toString());
        StringBuilder report = new StringBuilder("Failed command (phase demo/fail): sh -c <the script> abcdef.****************\n"
                + "Its last 20 lines of output:\n");
        for (int i = 13; i <= 30; i++) {
            report.append("  step ").append(i).append('\n');
        }
        report.append("  using token ****\n  error: the API did not answer\nFull log: ").append(log).append('\n');
        assertEquals(report.toString(), h.err.toString());

        assertEquals("rw-------", mode(log));
        assertEquals("rwx------", mode(log.getParent()));
        String text = Files.readString(log);
        assertFalse(text.contains(SECRET) || text.contains("0123456789abcdef"), text);
        for (String line : List.of("== demo/prepare: Step demo/prepare", "   run: sh -c echo prepared", "   | prepared",
                "   exited 0", "== demo/fail: Step demo/fail", "   run: sh -c <the script> abcdef.****************",
                "   | step 1", "   | step 30", "   | using token ****", "   ! error: the API did not answer", "   exited 7",
                "== failed: " + e.getMessage())) {
            assertTrue(text.lines().anyMatch(line::equals), line + " in\n" + text);
        }
        assertTrue(text.startsWith("# kubestead install, pid " + ProcessHandle.current().pid()), text);
    }

    @Test
    void aTimedOutCommandIsReportedAsSuchWithItsPartialOutputAndLeavesNothingRunning() throws IOException {
        CliHarness h = new CliHarness(tmp, tmp.resolve("host"), new ProcessRunner());
        String m = "300." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        Plan plan = new Plan("demo", List.of(new Step("demo/slow", ctx -> ctx.host().run(Command.of("sh", "-c",
                "echo 'waiting for the API'; sleep " + m + " & sleep " + m).withTimeout(Duration.ofSeconds(1))).check())));
        PhaseFailedException e;
        try (PlanExecution run = new PlanExecution(h.env(), Optional.empty(), "install")) {
            e = assertThrows(PhaseFailedException.class, () -> run.run(plan, "demo"));
        }
        assertEquals("phase demo/slow failed: 'sh -c echo 'waiting for the API'; sleep " + m + " & sleep " + m
                + "' timed out after 1 s", e.getMessage());
        Path log = tmp.resolve("host").resolve(LOG);
        assertEquals("Failed command (phase demo/slow): sh -c echo 'waiting for the API'; sleep " + m + " & sleep " + m
                + "\nIts last line of output:\n  waiting for the API\nFull log: " + log + "\n", h.err.toString());
        String text = Files.readString(log);
        assertTrue(text.contains("\n   | waiting for the API\n   timed out after 1 s\n"), text);
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            assertEquals(List.of(), all.filter(p -> p.info().commandLine().orElse("").contains(m))
                    .filter(p -> !zombie(p.pid())).map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList());
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException gone) {
            return true;
        }
    }

    @Test
    void aDryRunLogsUnderTheDryRunDirectoryOnly() throws IOException {
        CliHarness h = new CliHarness(tmp);
        assertEquals(0, h.run("install", "ha", "dry-run=out"), h.err.toString());
        Path log = tmp.resolve("out").resolve(LOG);
        assertTrue(h.out.toString().contains("Run log: " + log + "\n"), h.out.toString());
        assertEquals("rw-------", mode(log));
        String text = Files.readString(log);
        assertTrue(text.contains("\n== preflight"), text);
        assertTrue(text.contains("\n# a dry-run: the commands are listed, not run\n"), text);
        assertTrue(text.contains("\n   run: swapoff -a\n"), text);
        assertFalse(text.contains("exited 0"), "commands that did not run have no outcome");
        assertTrue(text.contains("\n   write /etc/kubestead/install.json (mode 0644"), text);
        assertFalse(Files.exists(tmp.resolve("host")), "nothing on the (stand-in) real host, no /var/log there");
    }

    /** A node whose kubeadm init is a real program that fails: the stand-in node answers everything else. */
    private static CommandRunner failingInit(KubeadmStandIn kubeadm, String script) {
        return new CommandRunner() {
            @Override
            public ExecResult run(Command c) {
                return run(c, OutputSink.NONE);
            }

            @Override
            public ExecResult run(Command c, OutputSink sink) {
                if (c.argv().size() > 1 && c.argv().get(0).equals("kubeadm") && c.argv().get(1).equals("init")) {
                    return new ProcessRunner().run(new Command(List.of("sh", "-c", script), null, Map.of(), c.timeout(),
                            c.display()), sink);
                }
                return kubeadm.run(c, sink);
            }
        };
    }

    @Test
    void aRealInstallWhoseKubeadmInitFailsEndsWithThePhaseTheTailAndTheLog() throws IOException {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        CliHarness h = new CliHarness(tmp, node.root, failingInit(kubeadm, "echo '[init] Using Kubernetes version';"
                + " echo '[preflight] Running pre-flight checks'; echo 'error execution phase preflight: port 6443 is in use' >&2;"
                + " echo 'To see the stack trace of this error execute with --v=5 or higher' >&2; exit 1"));
        assertEquals(1, h.run("install", "yes", "key-algorithm=ecdsa-p256"));
        List<String> err = h.err.toString().lines().toList();
        Path log = node.root.resolve(LOG);
        int at = err.indexOf("Its last 4 lines of output:");
        assertTrue(at > 0 && err.get(at - 1).startsWith("Failed command (phase kubeadm/init): kubeadm init --config "), h.err.toString());
        assertEquals(List.of("  [init] Using Kubernetes version", "  [preflight] Running pre-flight checks",
                "  error execution phase preflight: port 6443 is in use",
                "  To see the stack trace of this error execute with --v=5 or higher", "Full log: " + log), err.subList(at + 1, at + 6));
        assertTrue(err.get(err.size() - 1).matches("kubestead: phase kubeadm/init failed: 'kubeadm init --config .*' exited 1:"
                + " error execution phase preflight: port 6443 is in use"), h.err.toString());
        String text = Files.readString(log);
        assertTrue(text.contains("\n   | [preflight] Running pre-flight checks\n"), text);
        assertTrue(text.contains("\n   ! error execution phase preflight: port 6443 is in use\n"), text);
    }

    @Test
    void aSuccessfulInstallsLogHasEachCommandsOutcomeAndNoSecret() throws IOException {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, h.run("install", "yes", "key-algorithm=ecdsa-p256"), h.err.toString());
        Path log = node.root.resolve(LOG);
        assertEquals("rw-------", mode(log));
        String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        assertTrue(text.contains("\n   run: kubeadm init --config /etc/kubestead/kubeadm-init.yaml --skip-token-print"
                + " --skip-certificate-key-print --upload-certs\n   | Your Kubernetes control-plane has initialized"
                + " successfully!\n   exited 0\n"), text);
        var secrets = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(node.root.resolve("var/lib/kubestead/join-secrets.json").toFile());
        String token = secrets.get("token").asText();
        assertFalse(text.contains(token.substring(7)), "the token is not in the log");
        assertFalse(text.contains(secrets.get("certificateKey").asText()), "the certificate key is not in the log");
    }

    @Test
    void aBadLockWaitIsBadInput() {
        CliHarness h = new CliHarness(tmp);
        h.variables.put("KUBESTEAD_LOCK_WAIT", "soon");
        assertEquals(2, h.run("install", "ha", "dry-run=out"));
        assertEquals("kubestead: KUBESTEAD_LOCK_WAIT=soon is not a number of seconds from 0 to 86400; unset it to wait a"
                + " minute for the host lock\n", h.err.toString());
    }
}
