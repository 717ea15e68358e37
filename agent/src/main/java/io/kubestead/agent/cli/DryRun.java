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

    /** The dry-run tree to read from, before the words are all checked: nothing is created or marked. */
    static Host reader(Path dir, ActionLog log) {
        return new RootedHost("dry-run", dir, cmd -> new ExecResult(cmd, 0, "", ""), log);
    }

    /**
     * Removes a dry-run directory this run created when the run was refused before its first phase: refused words
     * leave nothing behind (the directory then holds only the marker and the lock file).
     */
    static void removeUnused(Path dir) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // best effort: what remains is an empty, marked dry-run tree that a rerun accepts
        }
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
