package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.spec.Prompter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd command's surface: help, and bad input refused with one line before anything is touched. */
class EtcdCommandTest {
    @TempDir
    Path tmp;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(boolean root, String... args) {
        CliEnvironment env = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new HostFacts("m1", "10.0.0.11", "apt"), Prompter.NONE, tmp, Clock.systemUTC(), root, false,
                (ActionLog log) -> new RootedHost("m1", tmp, c -> {
                    throw new IllegalStateException("no commands: " + c);
                }, log), Map.of(), Duration.ZERO);
        return Main.run(env, args);
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[] {"snapshot", "restore", "rejoin"}) {
            assertEquals(0, run(false, "etcd", sub, "--help"), err.toString());
        }
        assertTrue(out.toString().contains("--retain") && out.toString().contains("--force")
                && out.toString().contains("--endpoint"), out.toString());
        assertEquals(2, run(false, "etcd"));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        assertEquals(2, run(false, "etcd", "snapshot"));
        assertTrue(err.toString().contains("needs root"), err.toString());
        assertEquals(2, run(true, "etcd", "snapshot", "-o", "yaml"));
        assertEquals(2, run(true, "etcd", "snapshot"));
        assertTrue(err.toString().contains("no etcd manifest"), err.toString());
        Files.createDirectories(tmp.resolve("etc/kubernetes/manifests"));
        Files.writeString(tmp.resolve("etc/kubernetes/manifests/etcd.yaml"), """
                apiVersion: v1
                kind: Pod
                spec:
                  containers:
                  - name: etcd
                    command: [etcd, --name=m1]
                """);
        assertEquals(2, run(true, "etcd", "rejoin", "--endpoint", "http://10.0.0.11:2379"));
        assertEquals(2, run(true, "etcd", "rejoin", "--endpoint", "https://10.0.0.11:2379/v3"));
        assertEquals(2, run(true, "etcd", "snapshot", "--retain", "0"));
        assertEquals(2, run(true, "etcd", "restore", "/nowhere"));
        assertTrue(err.toString().contains("neither a snapshot file nor a backup directory"), err.toString());
        for (String line : err.toString().lines().toList()) {
            assertTrue(line.startsWith("kubestead: ") || line.startsWith("Usage") || line.isBlank() || line.startsWith(" "),
                    line);
        }
        assertEquals(7, err.toString().lines().filter(l -> l.startsWith("kubestead: ")).count(), err.toString());
        assertTrue(Files.notExists(tmp.resolve("var/lib/kubestead/backups")), "nothing written");
    }
}
