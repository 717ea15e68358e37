package io.kubestead.agent.kubeadm.standin;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.CommandRunner;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.kubeadm.CertificateKey;
import io.kubestead.agent.kubeadm.YamlDocuments;
import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording kubeadm for the agent's flow tests, installed as a host's {@link CommandRunner}. It records each
 * kubeadm command line with the documents of its --config file (read under the host root) so tests can assert what
 * the agent ran, and refuses what would make the flow meaningless: an unknown flag or --config mixed with other
 * flags, a missing config file, an unredacted secret in the command's display, or a call the cluster state does not
 * allow (see {@link ClusterRules}). Rejections exit 1 with kubeadm-like stderr; accepted calls may run a scripted
 * {@link Effect}. It does not judge the configuration: the real kubeadm does that in RealKubeadmTest.
 */
public final class KubeadmStandIn implements CommandRunner {

    /** What a test scripts for a command, e.g. writing /etc/kubernetes/admin.conf after init. */
    @FunctionalInterface
    public interface Effect {
        void apply(KubeadmCall call, Path hostRoot) throws IOException;
    }

    private final KubernetesVersion version;
    private final Path root;
    private final ClusterRules rules;
    private final CommandRunner others;
    private final YamlDocuments yaml = new YamlDocuments();
    private final Map<String, Effect> effects = new HashMap<>();
    private final List<KubeadmCall> calls = new ArrayList<>();
    private final List<String> rejections = new ArrayList<>();

    /**
     * @param others runs non-kubeadm commands (null: they fail with exit 127)
     */
    public KubeadmStandIn(KubernetesVersion version, Path hostRoot, StandInCluster cluster, CommandRunner others) {
        this.version = version;
        this.root = hostRoot.toAbsolutePath().normalize();
        this.rules = new ClusterRules(cluster, root);
        this.others = others != null ? others
                : c -> new ExecResult(c, 127, "", "stand-in: no program " + c.argv().get(0) + "\n");
    }

    public KubeadmStandIn(KubernetesVersion version, Path hostRoot) {
        this(version, hostRoot, new StandInCluster(), null);
    }

    /** Scripts the effect of an accepted command such as {@code init} or {@code join}. */
    public KubeadmStandIn onCall(String command, Effect effect) {
        effects.put(command, effect);
        return this;
    }

    public synchronized List<KubeadmCall> calls() {
        return List.copyOf(calls);
    }

    /** The stderr of every rejected kubeadm call, for assertions and failure messages. */
    public synchronized List<String> rejections() {
        return List.copyOf(rejections);
    }

    @Override
    public synchronized ExecResult run(Command command) {
        if (!KubeadmCommandLine.isKubeadm(command.argv())) {
            return others.run(command);
        }
        KubeadmCommandLine line = KubeadmCommandLine.parse(command.argv());
        List<String> errors = new ArrayList<>(line.errors());
        errors.addAll(unredactedSecrets(command));
        List<Map<String, Object>> documents = List.of();
        Integer mode = null;
        String configPath = line.value("config");
        if (line.ok() && configPath != null) {
            Path file = configPath.startsWith("/") ? root.resolve(configPath.substring(1)) : null;
            if (file == null || !Files.isRegularFile(file)) {
                errors.add("unable to read config from \"" + configPath + "\": open " + configPath
                        + ": no such file or directory" + (file == null ? " (stand-in wants an absolute path)" : ""));
            } else {
                mode = mode(file);
                try {
                    documents = yaml.read(read(file));
                } catch (IllegalArgumentException e) {
                    errors.add("unable to read config from \"" + configPath + "\": " + e.getMessage());
                }
            }
        }
        KubeadmCall call = new KubeadmCall(command.argv(), line.command(), line.flags(), line.positionals(),
                configPath, mode, documents);
        if (errors.isEmpty()) {
            errors.addAll(rules.check(call));
        }
        if (!errors.isEmpty()) {
            String stderr = "error: " + String.join("\nerror: ", errors)
                    + "\nTo see the stack trace of this error execute with --v=5 or higher\n";
            rejections.add(stderr);
            return new ExecResult(command, 1, "", stderr);
        }
        calls.add(call);
        Effect effect = effects.get(line.command());
        if (effect != null) {
            try {
                effect.apply(call, root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ExecResult(command, 0, rules.apply(call, version), "");
    }

    /** Tokens and certificate keys on the command line must not show in logs and plans. */
    private static List<String> unredactedSecrets(Command command) {
        List<String> errors = new ArrayList<>();
        for (String arg : command.argv()) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : arg;
            boolean secret = BootstrapToken.isValid(value) || CertificateKey.isValid(value.toLowerCase());
            if (secret && command.display().contains(value)) {
                errors.add("stand-in: the command line carries a secret but its display is not redacted "
                        + "(use Command.redacted)");
            }
        }
        return errors;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Integer mode(Path file) {
        try {
            int m = 0;
            for (var p : Files.getPosixFilePermissions(file)) {
                m |= 1 << (8 - p.ordinal());
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
