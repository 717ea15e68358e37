package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.host.RunLog;
import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinScriptIssuer;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.kubeadm.InstallSettings;
import io.kubestead.agent.nodeadd.HostResult;
import io.kubestead.agent.nodeadd.JoinMaterial;
import io.kubestead.agent.nodeadd.NodeAddListener;
import io.kubestead.agent.nodeadd.NodeAddReport;
import io.kubestead.agent.nodeadd.NodeAddRequest;
import io.kubestead.agent.nodeadd.NodeAdder;
import io.kubestead.agent.spec.InputFile;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecJson;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.agent.ssh.KnownHostsFile;
import io.kubestead.agent.ssh.SshClient;
import io.kubestead.agent.ssh.SshCredentials;
import io.kubestead.agent.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add", mixinStandardHelpOptions = true, header = "Join hosts over SSH, from a master.",
        description = {"Logs in to each host over SSH, copies install.sh (with the agent bundle, or, air-gapped, only",
            "install.sh: the host fetches the bundle from a master) and a secrets file (0600, deleted afterwards), and",
            "runs the join as root (sudo when the user is not root). Host keys are checked against the known hosts file",
            "(root's ~/.ssh/known_hosts unless --known-hosts): a new key is shown with its SHA-256 fingerprint and",
            "accepted only with --accept-new-host-key or a yes at the terminal, then recorded; a changed key is refused.",
            "Passwords (SSH, sudo) are asked at the terminal. Workers join --parallel at a time, masters one at a time.",
            "Exit status: 0 when every host joined, 1 when any did not, 2 for bad input."})
final class NodeAddCommand implements Callable<Integer> {
    static final String DEFAULT_USER = "root";
    private final CliEnvironment env;

    @Option(names = "--ssh", paramLabel = "USER@HOST[:PORT]", description = "a host to add and the user to log in as (repeatable)")
    List<String> ssh = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "HOST", description = "more hosts, [USER@]HOST[:PORT]; the user of the first --ssh by default, else root")
    List<String> more = new ArrayList<>();

    @Option(names = "--identity", paramLabel = "FILE", description = "private key to log in with (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa)")
    Path identity;

    @Option(names = "--master", description = "join the hosts as masters (one at a time)")
    boolean master;

    @Option(names = "--worker", description = "join the hosts as workers (the default)")
    boolean worker;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "workers joining at once (default 4, at most 64)")
    int parallel;

    @Option(names = "--accept-new-host-key", description = "trust and record the key of a host not in the known hosts file")
    boolean acceptNew;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known hosts file (default: ~/.ssh/known_hosts of the user running this)")
    Path knownHosts;

    @Option(names = "--bundle", paramLabel = "DIR", description = "directory with kubestead-agent-*-linux-ARCH.tar.gz and SHA256SUMS (and install.sh) to copy; not needed air-gapped")
    Path bundle;

    @Option(names = "--dry-run", paramLabel = "DIR", description = "rehearse: each host runs its join as a dry run, writing only under DIR (an absolute path) there")
    String dryRun;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json; with json, progress goes to stderr")
    String output;

    NodeAddCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        List<SshTarget> hosts = targets();
        if (master && worker) {
            throw new SpecException("node add: give --master or --worker, not both");
        }
        if (parallel < 1 || parallel > NodeAddRequest.MAX_PARALLEL) {
            throw new SpecException("--parallel " + parallel + ": give 1 to " + NodeAddRequest.MAX_PARALLEL);
        }
        if (!output.equals("text") && !output.equals("json")) {
            throw new SpecException("-o " + Shown.quoted(output) + ": give text or json");
        }
        if (dryRun != null && (!dryRun.startsWith("/") || dryRun.equals("/") || dryRun.chars().anyMatch(c -> c < 0x20))) {
            throw new SpecException("--dry-run " + Shown.quoted(dryRun) + ": give an absolute directory other than /");
        }
        List<Path> identities = identities();
        List<Path> bundleFiles = bundleFiles();
        Path known = knownHosts == null ? KnownHostsFile.userDefault() : knownHosts;
        // the prompter asks on the terminal itself (also when stdout is a pipe, as with -o json); without one, no
        KnownHostsFile.NewKeyDecision decision = (h, type, fp) -> acceptNew || (env.prompter()
                .ask(h + ": new host key " + type + " " + fp + ". Accept it and record it in " + known + "? [y/N] ")
                .map(a -> a.strip().toLowerCase(Locale.ROOT)).filter(a -> a.equals("y") || a.equals("yes")).isPresent());
        KnownHostsFile knownFile;
        try {
            knownFile = new KnownHostsFile(known, decision);
        } catch (IllegalArgumentException e) {
            throw new SpecException(e.getMessage() + "; give another with --known-hosts FILE");
        }
        if (!env.root()) {
            env.err().println("kubestead: node add issues join secrets and must run as root on a master; use sudo");
            return ExitCodes.FAILURE;
        }
        Host host = env.realHost().apply(new ActionLog());
        InstallSpec spec = InstallSpecJson.read(host.readFile("/etc/kubestead/install.json").orElseThrow(
                () -> new IllegalStateException("no /etc/kubestead/install.json here: run node add on a master that"
                        + " Kubestead installed or joined")));
        Path script = installScript();
        boolean served = host.readString(JoinScriptIssuer.BASE_URL_PATH).filter(u -> !u.isBlank()).isPresent();
        if (!spec.airgap() && bundleFiles.isEmpty() && !served) {
            throw new SpecException("node add needs the agent bundle to copy: give --bundle DIR (a directory with"
                    + " kubestead-agent-*-linux-ARCH.tar.gz and SHA256SUMS, such as the one 'installer serve' serves)");
        }
        if (master && !spec.ha()) {
            env.err().println("kubestead: this cluster was installed without 'ha', so it cannot take more masters yet;"
                    + " rerun 'kubestead install ha' (with the original words) on the first master first");
            return ExitCodes.FAILURE;
        }
        // every input is checked: only now are join secrets issued
        JoinCommands commands = issue(host);
        JoinMaterial material = JoinMaterial.of(commands, master, script, bundleFiles);
        boolean json = output.equals("json");
        var progress = json ? env.err() : env.out();
        progress.println("Adding " + hosts.size() + (master ? " master" : " worker") + (hosts.size() == 1 ? "" : "s")
                + "; host keys checked against " + known + "; join valid until " + commands.expires(master));
        SshClient client = new SshClient(knownFile, new SshCredentials(identities, new TerminalSecrets("/dev/tty")), Duration.ofSeconds(15));
        List<HostResult> results;
        try (RunLog log = runLog(host, progress)) {
            NodeAddListener listener = new NodeAddListener() {
                @Override
                public void line(SshTarget h, String line) {
                    String text = "[" + h.label() + "] " + line;
                    synchronized (progress) {
                        progress.println(text);
                        progress.flush();
                    }
                    if (log != null) {
                        log.line(text);
                    }
                }

                @Override
                public void finished(HostResult r) {
                    line(r.target(), r.outcome().word() + " after " + r.took().toSeconds() + " s");
                }
            };
            List<String> extra = dryRun == null ? List.of() : List.of("dry-run=" + dryRun);
            results = new NodeAdder(client, env.clock()).add(new NodeAddRequest(hosts, material, parallel, h -> extra), listener);
            if (log != null) {
                log.line(NodeAddReport.table(results));
            }
        }
        if (json) {
            env.out().println(NodeAddReport.json(results));
        } else {
            env.out().println();
            env.out().println(NodeAddReport.table(results));
            results.stream().filter(r -> !r.joined()).forEach(r -> env.out().println("  " + r.detail()));
        }
        return results.stream().allMatch(HostResult::joined) ? 0 : ExitCodes.FAILURE;
    }

    private RunLog runLog(Host host, java.io.PrintWriter progress) {
        try {
            RunLog log = RunLog.create(host, "node-add", env.clock().instant());
            progress.println("Run log: " + log.file());
            return log;
        } catch (HostException e) {
            env.err().println("WARNING: " + e.getMessage() + "; this run is not logged");
            return null;
        }
    }

    private List<SshTarget> targets() {
        if (ssh.isEmpty() && more.isEmpty()) {
            throw new SpecException("node add needs hosts: --ssh USER@HOST[:PORT] and/or HOST... (see 'kubestead node add --help')");
        }
        Set<SshTarget> all = new LinkedHashSet<>();
        for (String s : ssh) {
            if (!s.contains("@")) {
                throw new SpecException("--ssh " + Shown.quoted(s) + ": write USER@HOST[:PORT]");
            }
            all.add(SshTarget.parse(s, DEFAULT_USER));
        }
        String user = all.isEmpty() ? DEFAULT_USER : all.iterator().next().user();
        for (String s : more) {
            all.add(SshTarget.parse(s, user));
        }
        return List.copyOf(all);
    }

    private List<Path> identities() {
        if (identity == null) {
            return SshCredentials.defaultIdentities();
        }
        try {
            InputFile.check(identity, InputFile.PEM_LIMIT);
        } catch (InputFile.Refused e) {
            throw new SpecException("--identity " + Shown.quoted(identity.toString()) + ": the file " + e.getMessage());
        }
        return List.of(identity);
    }

    /** The agent bundle, its SHA256SUMS and signature from --bundle DIR, checked to be there. */
    private List<Path> bundleFiles() throws IOException {
        if (bundle == null) {
            return List.of();
        }
        // the hosts are taken to share this master's architecture, as a cluster's nodes usually do
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        if (!Files.isDirectory(bundle)) {
            throw new SpecException("--bundle " + Shown.quoted(bundle.toString()) + " is not a directory");
        }
        List<Path> agents;
        try (Stream<Path> s = Files.list(bundle)) {
            agents = s.filter(p -> p.getFileName().toString().matches("kubestead-agent-[A-Za-z0-9._+~-]+-linux-" + arch + "\\.tar\\.gz"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        if (agents.size() != 1 || !Files.isRegularFile(bundle.resolve("SHA256SUMS"))) {
            throw new SpecException("--bundle " + Shown.quoted(bundle.toString()) + ": needs exactly one kubestead-agent-*-linux-"
                    + arch + ".tar.gz and SHA256SUMS (found " + agents.size() + " bundles)");
        }
        List<Path> files = new ArrayList<>(List.of(agents.get(0), bundle.resolve("SHA256SUMS")));
        if (Files.isRegularFile(bundle.resolve("SHA256SUMS.sig"))) {
            files.add(bundle.resolve("SHA256SUMS.sig"));
        }
        return files;
    }

    /** install.sh from --bundle DIR when it has one (it may pin a key), else the one in this agent's bundle. */
    private Path installScript() {
        if (bundle != null && Files.isRegularFile(bundle.resolve("install.sh"))) {
            return bundle.resolve("install.sh");
        }
        Optional<Path> own = AgentHome.detect().map(h -> h.resolve("install.sh")).filter(Files::isRegularFile);
        return own.orElseThrow(() -> new SpecException("no install.sh to copy: this agent was not unpacked from a"
                + " bundle; give --bundle DIR with install.sh in it"));
    }

    /** Fresh join secrets, as join-script makes them, under the host lock (install.json read again under it). */
    private JoinCommands issue(Host host) {
        try (HostSession session = HostSession.lock(env, host, "node-add")) {
            InstallSpec spec = InstallSpecJson.read(host.readFile("/etc/kubestead/install.json").orElseThrow(
                    () -> new IllegalStateException("/etc/kubestead/install.json is gone")));
            JoinScriptIssuer issuer = new JoinScriptIssuer(host, new HostKubeadm(host), new SecureRandom(), env.clock());
            JoinSecrets secrets = issuer.refresh(spec, InstallSettings.node(spec), master);
            JoinCommands commands = issuer.commands(spec, secrets, true);
            issuer.writeScripts(commands);
            return commands;
        }
    }
}
