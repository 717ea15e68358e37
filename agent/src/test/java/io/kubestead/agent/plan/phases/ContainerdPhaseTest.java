package io.kubestead.agent.plan.phases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host that is itself a container without CAP_SYS_RESOURCE (the node lab's nodes): pods must still start. */
class ContainerdPhaseTest {
    @TempDir
    Path tmp;

    private PhaseContext context(String capBnd) throws Exception {
        Files.createDirectories(tmp.resolve("usr/bin"));
        Files.writeString(tmp.resolve("usr/bin/containerd"), "");
        Files.createDirectories(tmp.resolve("proc/1"));
        Files.writeString(tmp.resolve("proc/1/status"), "Name:\tsystemd\nCapBnd:\t" + capBnd + "\n");
        RootedHost host = new RootedHost("h", tmp, c -> new ExecResult(c, 0, "", ""), new ActionLog());
        StringWriter out = new StringWriter();
        return new PhaseContext(host, new ConsoleProgress(new PrintWriter(out), new PrintWriter(out), false),
                new ActionLog(), Clock.systemUTC(), false, new StateStore(host));
    }

    private String config() throws Exception {
        return Files.readString(tmp.resolve("etc/containerd/config.toml"));
    }

    @Test
    void containersKeepContainerdsOomScoreWherePid1LacksCapSysResource() throws Exception {
        PhaseContext ctx = context("000001fffeffffff");
        ContainerdPhase phase = new ContainerdPhase(Optional.empty(), "registry.k8s.io/pause:3.10.1", false);
        phase.run(ctx);
        assertTrue(config().contains("restrict_oom_score_adj = true"), config());
        assertTrue(phase.done(ctx));
    }

    @Test
    void aNormalHostKeepsTheKubeletsOomScores() throws Exception {
        PhaseContext ctx = context("000001ffffffffff");
        ContainerdPhase phase = new ContainerdPhase(Optional.empty(), "registry.k8s.io/pause:3.10.1", false);
        phase.run(ctx);
        assertFalse(config().contains("restrict_oom_score_adj"), config());
        assertTrue(phase.done(ctx));
    }
}
