package io.kubestead.agent.plan.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.Progress;
import io.kubestead.agent.plan.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentPhaseTest {
    @TempDir
    Path tmp;

    @Test
    void copiesTheAgentButNotTheLaunchersClassDataSharingArchives() throws Exception {
        Path from = tmp.resolve("unpacked");
        for (String f : List.of("bin/kubestead", "lib/kubestead-agent.jar", "runtime/bin/java", "runtime/lib/modules",
                "runtime/lib/server/classes.jsa", "lib/cds/agent-123.jsa", "lib/cds/agent-123.jsa.4242")) {
            Files.createDirectories(from.resolve(f).getParent());
            Files.writeString(from.resolve(f), f);
        }
        Path root = Files.createDirectories(tmp.resolve("root"));
        ActionLog log = new ActionLog();
        RootedHost host = new RootedHost("h", root, c -> {
            throw new AssertionError("no command expected: " + c);
        }, log);
        StringWriter out = new StringWriter();
        Progress progress = new ConsoleProgress(new PrintWriter(out), new PrintWriter(out), false);
        PhaseContext ctx = new PhaseContext(host, progress, log, Clock.systemUTC(), false, new StateStore(host));
        new AgentPhase(Optional.of(from)).run(ctx);
        Path home = root.resolve("opt/kubestead");
        List<String> copied;
        try (Stream<Path> s = Files.walk(home)) {
            copied = s.filter(Files::isRegularFile).map(p -> home.relativize(p).toString()).sorted().toList();
        }
        assertEquals(List.of("bin/kubestead", "lib/kubestead-agent.jar", "runtime/bin/java", "runtime/lib/modules"), copied);
        // `sudo kubestead reset` as the hints say: the command is on the PATH (the node lab found it was not)
        Path command = root.resolve("usr/local/bin/kubestead");
        assertEquals("#!/bin/sh\n# Written by Kubestead: the agent's command on the PATH.\nexec /opt/kubestead/bin/kubestead \"$@\"\n",
                Files.readString(command));
        assertTrue(Files.isExecutable(command));
        assertTrue(new AgentPhase(Optional.of(from)).done(ctx));
        assertTrue(out.toString().contains("copied 4 files from " + from), out.toString());
    }
}
