package io.kubestead.agent.cli;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.JoinedHost;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.plan.phases.InstallPlan;
import io.kubestead.agent.plan.phases.InstallState;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import io.kubestead.agent.spec.InstallWords;
import io.kubestead.agent.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "install", mixinStandardHelpOptions = true, header = "Install the first master, or reconfigure it on a rerun.",
        description = {"Installs the first master of a cluster on this host, or reconfigures it on a rerun.%n"
            + "Words follow the command, bare (ha) or key=value (load-balancer-address=lb:6443);%n"
            + "--ha and --load-balancer-address=lb:6443 work too. Rerunning is safe: finished steps are skipped.%n"
            + "Shows what it will do and asks before it starts; the word yes skips the question."})
final class InstallCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @picocli.CommandLine.Option(names = "--skip-phases", split = ",", paramLabel = "PHASE",
            description = "leave out these phases (ids as in plan.txt, e.g. cni,post/labels); for operators who do a step their own way")
    java.util.List<String> skipPhases = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "WORD", description = "install words, listed below")
    List<String> words = new ArrayList<>();

    InstallCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        InstallSpecParser parser = new InstallSpecParser(env.facts().hostName(), env.facts().primaryAddress(),
                env.facts().localAddresses(), env.workingDir(), env.prompter(), env.bundleVersions());
        InstallSpec spec = parser.parse(words);
        if (spec.dryRun().isEmpty() && !env.root()) {
            env.err().println("kubestead: install changes this host and must run as root; use sudo,"
                    + " or add the word dry-run to see what it would do");
            return ExitCodes.FAILURE;
        }
        env.out().println("Load balancer: " + spec.loadBalancer().describe());
        env.out().println("API endpoint:  " + spec.controlPlaneEndpoint() + (spec.apiNameTarget() == null ? ""
                : " (" + spec.apiName() + " -> " + spec.apiNameTarget() + " through /etc/hosts)"));
        // air-gapped: the version is the bundle's; say so here and in plan.txt
        String version = spec.airgap() ? io.kubestead.agent.spec.BundleVersion.describe(spec.kubernetesVersion(),
                env.bundleVersions().find(spec.bundleTrust(), spec.dryRun())) : "Kubernetes " + spec.kubernetesVersion();
        if (spec.airgap()) {
            env.out().println(version);
        }

        try (PlanExecution execution = new PlanExecution(env, spec.dryRun(), "install")) {
            return run(execution, spec, version);
        }
    }

    private int run(PlanExecution execution, InstallSpec spec, String version) {
        Host host = execution.host();
        // a joined master or worker: kubeadm init here would start a second cluster beside the one it is part of
        Optional<JoinedHost> joined = spec.dryRun().isPresent() ? Optional.empty() : JoinedHost.detect(host);
        if (joined.isPresent()) {
            env.out().println(joined.get().installMessage());
            return 0;
        }
        // an earlier run's settings: a moved endpoint also moves the cluster's records of it and the other nodes
        java.util.Optional<InstallSpec> previous = host.readFile("/etc/kubestead/install.json")
                .filter(b -> host.exists("/etc/kubernetes/admin.conf"))
                .map(io.kubestead.agent.spec.InstallSpecJson::read);
        Plan plan = InstallPlan.create(spec, env.installContext(), previous, host);
        java.util.Set<String> skip = PlanExecution.checkSkips(plan, skipPhases);
        boolean rerun = host.exists("/etc/kubernetes/admin.conf");
        boolean went = execution.run(plan, "Load balancer: " + spec.loadBalancer().describe() + "\n# API endpoint: "
                + spec.controlPlaneEndpoint() + "\n# " + version, skip,
                () -> spec.dryRun().isPresent() || spec.yes() || confirmed(spec, version, rerun), () -> {
                    if (InstallState.resetIfSettingsChanged(host, spec, execution.state())) {
                        env.out().println("The install settings changed since the last run: every step checks its work again.");
                    }
                });
        if (!went) {
            env.err().println("kubestead: install cancelled; nothing was changed");
            return ExitCodes.FAILURE;
        }
        new JoinPrintout(env).print(host, spec);
        new ConsolePrintout(env).print(host, spec);
        previous.filter(p -> !p.controlPlaneEndpoint().equals(spec.controlPlaneEndpoint())
                        || !java.util.Objects.equals(p.apiNameTarget(), spec.apiNameTarget())
                        || p.loadBalancer().mode() != spec.loadBalancer().mode())
                .ifPresent(p -> new EndpointPrintout(env).print(host, p, spec));
        spec.dryRun().ifPresent(dir -> env.out().println("Dry-run complete: everything the install would write is under "
                + dir + "; the steps and commands are in " + dir.resolve("plan.txt")));
        return 0;
    }

    /**
     * Shows what the install will do and asks on the terminal, once the words are read and every phase has checked
     * its inputs; with no terminal to ask on, the word yes is required (as for reset).
     */
    private boolean confirmed(InstallSpec spec, String version, boolean rerun) {
        String mode = spec.ha() ? "ha, " + spec.loadBalancer().describe() : "a single master (no load balancer)";
        String question = (rerun ? "This reruns the install of " : "This installs Kubernetes on ") + spec.nodeName()
                + " (" + spec.privateAddress() + "):\n"
                + "  " + version + ", " + (spec.airgap() ? "air-gapped, from the bundle" : "online, from the package repositories")
                + "\n  mode: " + mode + "\n  API endpoint: " + spec.controlPlaneEndpoint() + "\n"
                + "  It turns swap off, loads kernel modules, installs containerd and the Kubernetes packages, and runs"
                + " kubeadm init" + (rerun ? " (finished steps are skipped)" : "") + ".\n"
                + "Continue? [y/N] ";
        Optional<String> answer = env.prompter().ask(question);
        if (answer.isEmpty()) {
            throw new SpecException("install asks before changing this host and there is no terminal to ask on;"
                    + " add the word yes to install without asking");
        }
        String a = answer.get().strip().toLowerCase(Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }

    /** Wraps one help entry to the width, indenting continuation lines under the description column. */
    static String wrap(String line, int indent, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder cur = new StringBuilder();
        for (String word : line.split(" ", -1)) {
            if (cur.length() + word.length() + 1 > width && cur.toString().strip().length() > 0) {
                out.append(cur.toString().stripTrailing()).append("%n");
                cur = new StringBuilder(" ".repeat(indent));
            }
            cur.append(word).append(' ');
        }
        return out.append(cur.toString().stripTrailing().replace("%", "%%")).append("%n").toString();
    }

    static String wordsHelp() {
        StringBuilder sb = new StringBuilder("%nWords:%n");
        InstallWords.ALL.forEach(d -> sb.append(wrap(String.format("  %-34s %s", d.usage(), d.help()), 37, 110)));
        var versions = new io.kubestead.agent.spec.SupportedVersions();
        sb.append(String.format("%%nKubernetes versions: %s (default %s).%%n", versions.range(), versions.defaultVersion()));
        sb.append("%nExamples:%n")
                .append("  kubestead install ha load-balancer-address=10.0.0.10:6443 taint-control-plane%n")
                .append("  kubestead install ha dry-run=/tmp/plan%n");
        return sb.toString();
    }
}
