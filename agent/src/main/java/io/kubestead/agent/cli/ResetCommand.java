package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.MemoryHost;
import io.kubestead.agent.host.PreviewHost;
import io.kubestead.agent.join.Sleeper;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.plan.PlanRunner;
import io.kubestead.agent.plan.StateStore;
import io.kubestead.agent.plan.phases.ResetContext;
import io.kubestead.agent.plan.phases.ResetPlan;
import io.kubestead.agent.reset.EtcdAccess;
import io.kubestead.agent.reset.ResetReport;
import io.kubestead.agent.reset.ResetTarget;
import io.kubestead.agent.spec.ResetSpec;
import io.kubestead.agent.spec.SpecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "reset", mixinStandardHelpOptions = true, header = "Remove Kubernetes and Kubestead's setup from this host.",
        description = {"Undoes what install or join set up on this host. A master in a healthy cluster first leaves it:%n"
            + "its Node and its etcd member are removed, unless that would break etcd's quorum. Packages stay installed.%n"
            + "Asks before it starts; the word yes skips the question."})
final class ResetCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Parameters(arity = "0..*", paramLabel = "WORD", description = "reset words, listed below")
    List<String> words = new ArrayList<>();

    ResetCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ResetSpec spec = ResetSpec.parse(words, env.workingDir());
        boolean dryRun = spec.dryRun().isPresent();
        if (!dryRun && !env.root()) {
            env.err().println("kubestead: reset changes this host and must run as root; use sudo, or add dry-run");
            return ExitCodes.FAILURE;
        }
        ActionLog log = new ActionLog();
        Host real = env.realHost().apply(log);
        Host host = spec.dryRun().<Host>map(dir -> new PreviewHost(real, DryRun.host(dir, log), log)).orElse(real);
        try (HostSession session = HostSession.lock(env, host, "reset")) {
            return reset(spec, host, log, session);
        }
    }

    private int reset(ResetSpec spec, Host host, ActionLog log, HostSession session) {
        boolean dryRun = spec.dryRun().isPresent();
        ResetTarget target = ResetTarget.detect(host, spec.nodeName(), env.facts().hostName());
        String what = target.nodeName() + (target.master() ? " (a master: its Node and etcd member leave the cluster first)"
                : target.kubernetes() ? " (a worker)" : "");
        if (!dryRun && !spec.yes() && !confirmed(what)) {
            env.err().println("kubestead: reset cancelled; nothing was changed");
            return ExitCodes.FAILURE;
        }
        ResetReport report = new ResetReport();
        EtcdAccess etcd = spec.etcdEndpoint().map(EtcdAccess.kubeadm()::withEndpoint).orElse(EtcdAccess.kubeadm());
        ResetContext rc = new ResetContext(target, spec.force(), etcd, HostKubeadm::new,
                Optional.ofNullable(env.variables().get("SUDO_USER")), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Sleeper.system(), report);
        Plan plan = ResetPlan.create(rc);
        // progress is not kept: the state file is among what reset removes, and each step checks the host anyway
        PhaseContext ctx = new PhaseContext(host, new ConsoleProgress(env.out(), env.err(), env.terminal()), log,
                env.clock(), dryRun, new StateStore(new MemoryHost("reset-state")));
        session.startLog(host, log, dryRun);
        try {
            new PlanRunner().run(plan, ctx, Set.of());
        } catch (RuntimeException e) {
            session.failed(e);
            if (!report.lines().isEmpty()) {
                env.out().println("Reset of " + target.nodeName() + " stopped; done so far (a rerun goes on from here):");
                report.lines().forEach(env.out()::println);
            }
            throw e;
        }
        summary(host, target, report, dryRun);
        spec.dryRun().ifPresent(dir -> {
            DryRun.writePlan(dir, plan, log, "reset of " + what, env.clock());
            env.out().println("Dry-run complete: nothing was changed; the steps and commands are in "
                    + dir.resolve("plan.txt"));
        });
        return 0;
    }

    /** Asks on the terminal; with no terminal to ask on, the word yes is required. */
    private boolean confirmed(String what) {
        Optional<String> answer = env.prompter().ask("This removes Kubernetes from " + what + ": kubeadm reset, and"
                + " every file Kubestead wrote. Continue? [y/N] ");
        if (answer.isEmpty()) {
            throw new SpecException("reset asks before removing Kubernetes and there is no terminal to ask on;"
                    + " add the word yes to reset without asking");
        }
        String a = answer.get().strip().toLowerCase(java.util.Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }

    private void summary(Host host, ResetTarget target, ResetReport report, boolean dryRun) {
        List<String> packages = List.of("kubeadm", "kubelet", "kubectl", "containerd").stream()
                .filter(p -> host.exists("/usr/bin/" + p) || host.exists("/usr/local/bin/" + p)).toList();
        if (!packages.isEmpty()) {
            report.left("the packages " + String.join(", ", packages) + " (installed; remove them with the package"
                    + " manager if you no longer want them)");
        }
        if (host.exists("/opt/kubestead")) {
            report.left("the Kubestead agent in /opt/kubestead (rm -rf /opt/kubestead removes it)");
        }
        if (report.removed().isEmpty()) {
            env.out().println("Nothing to remove on " + target.nodeName() + ": Kubernetes and Kubestead's setup are not"
                    + " (or no longer) on this host.");
        } else {
            env.out().println(dryRun ? "Reset of " + target.nodeName() + " would do this:" : "Reset " + target.nodeName() + ":");
        }
        report.lines().forEach(env.out()::println);
    }

    static String wordsHelp() {
        StringBuilder sb = new StringBuilder("%nWords:%n");
        ResetSpec.WORDS.forEach(d -> sb.append(InstallCommand.wrap(String.format("  %-34s %s", d.usage(), d.help()), 37, 110)));
        sb.append("%nExamples:%n")
                .append("  sudo kubestead reset%n")
                .append("  sudo kubestead reset yes%n")
                .append("  kubestead reset dry-run=/tmp/reset-plan%n");
        return sb.toString();
    }
}
