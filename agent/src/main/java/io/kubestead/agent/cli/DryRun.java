package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.plan.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** A dry-run host: files land under the dry-run directory, commands are recorded and not run. */
final class DryRun {
    private DryRun() {
    }

    /** The dry-run host on {@code dir} (checked by the words' parser), which is created and marked now. */
    static Host host(Path dir, ActionLog log) {
        io.kubestead.agent.spec.DryRunDir.claim(dir);
        return new RootedHost("dry-run", dir, cmd -> new ExecResult(cmd, 0, "", ""), log);
    }

    static void writePlan(Path dir, Plan plan, ActionLog log, String summary, Clock clock) {
        List<String> lines = new ArrayList<>();
        lines.add("# Kubestead " + plan.name() + " plan, dry-run at " + clock.instant());
        lines.add("# Every phase of the real run in order, with each file it writes and each command it runs on the host.");
        lines.add("# Files are under " + dir + " at their paths on the host.");
        lines.add("# " + summary);
        lines.add("# After each phase, its completion is recorded in " + StateStore.PATH + " so that reruns resume.");
        lines.add("");
        log.lines().stream().filter(l -> !l.contains(" " + StateStore.PATH + " ")).forEach(lines::add);
        Host files = new RootedHost("dry-run", dir, cmd -> new ExecResult(cmd, 0, "", ""), new ActionLog());
        files.writeFile("/plan.txt", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), 0644);
    }
}
