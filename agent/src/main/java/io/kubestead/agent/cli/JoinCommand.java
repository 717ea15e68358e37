package io.kubestead.agent.cli;

import io.kubestead.agent.plan.phases.JoinPlan;
import io.kubestead.agent.spec.JoinSpec;
import io.kubestead.agent.spec.JoinSpecParser;
import io.kubestead.agent.spec.JoinWords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "join", mixinStandardHelpOptions = true, header = "Join this host as a master or a worker (what join scripts run).",
        description = {"Joins this host to a cluster as a master or a worker: what the join scripts run.%n"
            + "Get the words from 'kubestead join-script master|worker' on a master."})
final class JoinCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Parameters(arity = "0..*", paramLabel = "WORD", description = "join words, listed below")
    List<String> words = new ArrayList<>();

    JoinCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        JoinSpec spec = new JoinSpecParser(env.facts().hostName(), env.facts().primaryAddress(), env.workingDir(),
                env.bundleVersions()).parse(words);
        if (spec.dryRun().isEmpty() && !env.root()) {
            env.err().println("kubestead: join changes this host and must run as root; use sudo, or add dry-run");
            return ExitCodes.FAILURE;
        }
        env.out().println("Joining " + spec.nodeName() + " as a " + (spec.controlPlane() ? "master" : "worker")
                + " through " + spec.endpoint());
        String version = spec.airgap() ? io.kubestead.agent.spec.BundleVersion.describe(spec.kubernetesVersion(),
                env.bundleVersions().find(spec.bundleTrust(), spec.dryRun())) : "Kubernetes " + spec.kubernetesVersion();
        if (spec.airgap()) {
            env.out().println(version);
        }
        try (PlanExecution execution = new PlanExecution(env, spec.dryRun(), "join")) {
            execution.run(JoinPlan.create(spec, env.installContext(), execution.host()),
                    "join as " + spec.nodeName() + "\n# " + version);
        }
        env.out().println(spec.nodeName() + " joined the cluster as a " + (spec.controlPlane() ? "master" : "worker") + ".");
        if (spec.controlPlane()) {
            // the masters= list holds the masters before this one
            int count = Math.max(1, spec.masters().size()) + 1;
            io.kubestead.agent.lb.QuorumAdvice.forMasters(count, true).ifPresent(w -> env.err().println(w));
        }
        return 0;
    }

    static String wordsHelp() {
        StringBuilder sb = new StringBuilder("%nWords:%n");
        JoinWords.ALL.forEach(d -> sb.append(InstallCommand.wrap(String.format("  %-34s %s", d.usage(), d.help()), 37, 110)));
        return sb.toString();
    }
}
