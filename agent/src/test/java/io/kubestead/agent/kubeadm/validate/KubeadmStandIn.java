package io.kubestead.agent.kubeadm.validate;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.CommandRunner;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.kubeadm.CertificateKey;
import io.kubestead.agent.kubeadm.validate.ConfigValidator.Purpose;
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
 * A recording kubeadm for tests, installed as a host's {@link CommandRunner}. It accepts a kubeadm command only if
 * every flag is documented for it, --config is not mixed with forbidden flags, the config file (read under the
 * host root) passes {@link ConfigValidator} for this kubeadm version, secrets on the line are redacted in the
 * command's display, and the cluster state allows it (see {@link ClusterRules}). Rejections exit 1 with
 * kubeadm-like stderr. Accepted calls are recorded and may run a scripted {@link Effect}.
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
    private final ConfigValidator validator;
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
        this.validator = new ConfigValidator(version);
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
        ConfigCheck check = new ConfigCheck(List.of(), List.of());
        Integer mode = null;
        String configPath = line.value("config");
        if (line.ok() && configPath != null) {
            Path file = configPath.startsWith("/") ? root.resolve(configPath.substring(1)) : null;
            if (file == null || !Files.isRegularFile(file)) {
                errors.add("unable to read config from \"" + configPath + "\": open " + configPath
                        + ": no such file or directory" + (file == null ? " (stand-in wants an absolute path)" : ""));
            } else {
                mode = mode(file);
                check = validator.validate(read(file), purpose(line.command()));
                errors.addAll(check.errors());
            }
        }
        KubeadmCall call = new KubeadmCall(command.argv(), line.command(), line.flags(), line.positionals(),
                configPath, mode, check.documents());
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

    private static Purpose purpose(String command) {
        return switch (command) {
            case "join" -> Purpose.JOIN;
            case "reset" -> Purpose.RESET;
            default -> Purpose.INIT;
        };
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
