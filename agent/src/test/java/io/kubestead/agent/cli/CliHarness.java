package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.CommandRunner;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.spec.Prompter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Runs kubestead commands in-process with captured output, fixed facts and a host rooted in a directory. */
final class CliHarness {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Path workingDir;
    final Path hostRoot;
    final CommandRunner runner;
    Prompter prompter = Prompter.NONE;
    /** The stand-in machine: node-1 at 10.0.0.5 on a /24, with apt. */
    HostFacts facts = new HostFacts("node-1", "10.0.0.5", "apt", java.util.List.of("127.0.0.1/8", "10.0.0.5/24"));
    boolean root = true;
    /** Whether output goes to a terminal (secrets are shown only there). */
    boolean terminal = false;
    java.util.Map<String, String> variables = new java.util.HashMap<>();
    /** Fixed by default; tests whose output a real program checks against today's date use the system clock. */
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    /** How a joining master reaches the cluster; by default it fails, so no test ever resolves or dials a real name. */
    io.kubestead.agent.plan.phases.ControlPlaneGateSetup controlPlaneGate = new io.kubestead.agent.plan.phases.ControlPlaneGateSetup(
            (target, progress) -> {
                throw new IllegalStateException("this test gave no control-plane stand-in for " + target);
            }, io.kubestead.agent.join.JoinGateSettings.defaults(), Clock.systemUTC());

    CliHarness(Path workingDir, Path hostRoot, CommandRunner runner) {
        this.workingDir = workingDir;
        this.hostRoot = hostRoot;
        this.runner = runner;
    }

    CliHarness(Path workingDir) {
        this(workingDir, workingDir.resolve("host"), cmd -> new ExecResult(cmd, 0, "", ""));
    }

    int run(String... args) {
        return Main.run(env(), args);
    }

    /** The environment {@link #run} runs commands in. */
    CliEnvironment env() {
        return new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                facts, prompter, workingDir, clock, root, terminal,
                (ActionLog log) -> new RootedHost("test", hostRoot, runner, log), variables, java.time.Duration.ZERO,
                controlPlaneGate);
    }
}
