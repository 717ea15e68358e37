package io.kubestead.agent.realcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.cli.CliEnvironment;
import io.kubestead.agent.cli.Main;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.CommandRunner;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.spec.DryRunDir;
import io.kubestead.agent.spec.Prompter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kubestead commands for the real-cluster tests, in-process: a dry run that makes a master's tree, and a command
 * run as root on a test host whose files are that tree.
 */
public final class TreeCommands {
    private TreeCommands() {
    }

    /** {@code kubestead WORDS dry-run=TREE} as the host {@code name} at {@code address}; it must succeed. */
    public static void dryRun(Path workDir, Path tree, String address, String name, List<String> words) throws Exception {
        DryRunDir.claim(tree);
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n");
        List<String> args = new ArrayList<>(words);
        args.add("dry-run=" + tree);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new HostFacts(name, address, "apt"), Prompter.NONE, workDir, Clock.systemUTC(), false, false,
                (ActionLog log) -> new RootedHost(name, tree, (CommandRunner) c -> {
                    throw new IllegalStateException("no commands in a dry run: " + c);
                }, log), Map.of(), Duration.ZERO);
        assertEquals(0, Main.run(env, args.toArray(String[]::new)), "dry-run " + args + ": " + err);
    }

    /** {@code kubestead ARGS} as root on {@code host}, whose files are {@code tree}; returns the exit code. */
    public static int run(NamespaceHost host, Path tree, Path workDir, StringWriter out, StringWriter err, String... args) {
        CliEnvironment env = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new HostFacts(host.name(), host.address(), "apt"), Prompter.NONE, workDir, Clock.systemUTC(), true, false,
                (ActionLog log) -> new RootedHost(host.name(), tree, host, log), Map.of(), Duration.ZERO);
        return Main.run(env, args);
    }

    public static ExecResult ok(ExecResult r) {
        assertTrue(r.ok(), String.join(" ", r.command().argv()) + " exited " + r.exitCode() + ":\n" + r.stdout() + r.stderr());
        return r;
    }
}
