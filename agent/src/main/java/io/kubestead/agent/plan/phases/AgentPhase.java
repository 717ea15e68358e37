package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.HostException;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Puts the agent at /opt/kubestead. install.sh normally unpacked it there already; when the agent was started
 * from elsewhere (a dry-run from a build tree, a copied bundle) it copies its own files over.
 */
final class AgentPhase implements Phase {
    static final String HOME = "/opt/kubestead";
    /** The agent's command on the PATH, as the printed hints and the README use it ({@code sudo kubestead reset}). */
    static final String COMMAND = "/usr/local/bin/kubestead";
    static final String COMMAND_TEXT = "#!/bin/sh\n# Written by Kubestead: the agent's command on the PATH.\nexec "
            + HOME + "/bin/kubestead \"$@\"\n";
    private final Optional<Path> source;

    AgentPhase(Optional<Path> source) {
        this.source = source;
    }

    @Override
    public String id() {
        return "agent";
    }

    @Override
    public String title() {
        return "Place the Kubestead agent at " + HOME;
    }

    @Override
    public boolean done(PhaseContext ctx) {
        // a development build has nothing to place, so it is as done as it will get
        return source.isEmpty() || ctx.host().exists(HOME + "/bin/kubestead")
                && ctx.host().readString(COMMAND).equals(java.util.Optional.of(COMMAND_TEXT));
    }

    private static void command(PhaseContext ctx) {
        if (!ctx.host().readString(COMMAND).equals(java.util.Optional.of(COMMAND_TEXT))) {
            ctx.host().writeString(COMMAND, COMMAND_TEXT, 0755);
            ctx.progress().info("wrote " + COMMAND);
        }
    }

    @Override
    public void run(PhaseContext ctx) throws IOException {
        if (ctx.host().exists(HOME + "/bin/kubestead")) {
            ctx.progress().info("agent already at " + HOME);
            command(ctx);
            return;
        }
        if (source.isEmpty()) {
            ctx.progress().info("not running from an agent bundle (a development build): nothing to copy to " + HOME);
            return;
        }
        Path from = source.get();
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).filter(f -> !hostCache(from.relativize(f).toString()))
                    .sorted().toList();
        }
        for (Path f : files) {
            String rel = from.relativize(f).toString();
            ctx.host().writeFile(HOME + "/" + rel, Files.readAllBytes(f), mode(Files.getPosixFilePermissions(f)));
        }
        if (!ctx.host().exists(HOME + "/bin/kubestead")) {
            throw new HostException("the agent bundle at " + from + " has no bin/kubestead");
        }
        ctx.progress().info("copied " + files.size() + " files from " + from);
        command(ctx);
    }

    /**
     * The class-data sharing archives bin/kubestead makes on first use (runtime/lib/server/classes.jsa,
     * lib/cds/): caches of this host and this path, which the launcher makes again where the agent lands.
     */
    static boolean hostCache(String rel) {
        return rel.equals("runtime/lib/server/classes.jsa") || rel.startsWith("lib/cds/");
    }

    private static int mode(Set<PosixFilePermission> p) {
        return p.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    }
}
