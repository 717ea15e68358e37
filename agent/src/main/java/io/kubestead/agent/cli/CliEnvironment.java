package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.spec.Prompter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

/**
 * Everything a command takes from the outside world, so tests can run commands against a temporary root, a
 * recording kubeadm stand-in, fixed facts and a scripted prompt.
 */
public record CliEnvironment(
        PrintWriter out,
        PrintWriter err,
        HostFacts facts,
        Prompter prompter,
        Path workingDir,
        Clock clock,
        boolean root,
        boolean terminal,
        Function<ActionLog, Host> realHost,
        java.util.Map<String, String> variables,
        java.time.Duration balancerCheckPatience,
        io.kubestead.agent.plan.phases.ControlPlaneGateSetup controlPlaneGate) {

    /** With the real control-plane join gate. */
    public CliEnvironment(PrintWriter out, PrintWriter err, HostFacts facts, Prompter prompter, Path workingDir, Clock clock,
            boolean root, boolean terminal, Function<ActionLog, Host> realHost, java.util.Map<String, String> variables,
            java.time.Duration balancerCheckPatience) {
        this(out, err, facts, prompter, workingDir, clock, root, terminal, realHost, variables, balancerCheckPatience,
                io.kubestead.agent.plan.phases.ControlPlaneGateSetup.real());
    }

    /** The context plan factories take: this machine's facts, the agent's home, and what install.sh passed on. */
    io.kubestead.agent.plan.phases.InstallContext installContext() {
        return new io.kubestead.agent.plan.phases.InstallContext(facts, AgentHome.detect(), new java.security.SecureRandom(),
                java.util.Optional.ofNullable(variables.get("KUBESTEAD_BASE_URL")).filter(u -> !u.isBlank()),
                java.util.Optional.ofNullable(variables.get("SUDO_USER")), balancerCheckPatience, controlPlaneGate,
                airgapArchive());
    }

    /** The air-gap archive install.sh found beside itself. */
    java.util.Optional<Path> airgapArchive() {
        return java.util.Optional.ofNullable(variables.get("KUBESTEAD_AIRGAP_BUNDLE")).filter(s -> !s.isBlank()).map(Path::of);
    }

    /**
     * Where an air-gapped install or join reads its bundle's Kubernetes version before planning: the host the plan
     * runs on (or the dry-run tree), then the archive install.sh found.
     */
    io.kubestead.agent.spec.BundleVersion.Lookup bundleVersions() {
        return (trust, dryRun) -> io.kubestead.agent.airgap.BundleVersionReader.find(
                dryRun.map(dir -> DryRun.reader(dir, new ActionLog())).orElseGet(() -> realHost().apply(new ActionLog())),
                airgapArchive(), trust);
    }

    public static CliEnvironment system() {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        boolean root = "root".equals(System.getProperty("user.name"));
        return new CliEnvironment(out, err, HostFacts.detect(), new TtyPrompter("/dev/tty"),
                Path.of("").toAbsolutePath(), Clock.systemUTC(), root, System.console() != null, RootedHost::local,
                System.getenv(), java.time.Duration.ofMinutes(3));
    }
}
