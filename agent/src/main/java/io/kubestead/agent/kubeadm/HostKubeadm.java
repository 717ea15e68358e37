package io.kubestead.agent.kubeadm;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.CommandFailedException;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link Kubeadm} through a {@link Host}: the exact command lines, run and checked. */
public final class HostKubeadm implements Kubeadm {
    private final Host host;
    private final String program;

    /** @param program the kubeadm binary, e.g. {@code /usr/bin/kubeadm} or plain {@code kubeadm} */
    public HostKubeadm(Host host, String program) {
        this.host = host;
        this.program = program;
    }

    public HostKubeadm(Host host) {
        this(host, "kubeadm");
    }

    @Override
    public ExecResult init(String configPath, boolean uploadCerts) {
        // without the skip flags init prints the join command with the token and certificate key on stdout
        List<String> argv = new ArrayList<>(List.of(program, "init", "--config", configPath, "--skip-token-print",
                "--skip-certificate-key-print"));
        if (uploadCerts) {
            argv.add("--upload-certs");
        }
        return run(Command.of(argv).withTimeout(Duration.ofMinutes(20)));
    }

    @Override
    public ExecResult initAgain(String configPath, boolean uploadCerts) {
        List<String> argv = new ArrayList<>(List.of(program, "init", "--config", configPath, "--skip-token-print",
                "--skip-certificate-key-print", "--ignore-preflight-errors=all"));
        if (uploadCerts) {
            argv.add("--upload-certs");
        }
        return run(Command.of(argv).withTimeout(Duration.ofMinutes(20)));
    }

    @Override
    public ExecResult join(String configPath) {
        return run(Command.of(program, "join", "--config", configPath).withTimeout(Duration.ofMinutes(20)));
    }

    @Override
    public ExecResult uploadCerts(String configPath) {
        return run(Command.of(program, "init", "phase", "upload-certs", "--upload-certs", "--config", configPath,
                "--skip-certificate-key-print").withTimeout(Duration.ofMinutes(5)));
    }

    @Override
    public ExecResult tokenCreate(BootstrapToken token, Duration ttl) {
        String ttlText = ConfigFields.goDuration(ttl);
        Command c = Command.of(program, "token", "create", token.value(), "--ttl", ttlText,
                        "--kubeconfig", ADMIN_KUBECONFIG)
                .withTimeout(Duration.ofMinutes(2))
                .redacted(program + " token create " + token + " --ttl " + ttlText + " --kubeconfig " + ADMIN_KUBECONFIG);
        return run(c);
    }

    @Override
    public ExecResult pullImages(String configPath) {
        return run(Command.of(program, "config", "images", "pull", "--config", configPath)
                .withTimeout(Duration.ofMinutes(30)));
    }

    @Override
    public ExecResult reset() {
        return run(Command.of(program, "reset", "--force").withTimeout(Duration.ofMinutes(10)));
    }

    @Override
    public String version() {
        return run(Command.of(program, "version", "-o", "short").withTimeout(Duration.ofMinutes(1))).stdout().strip();
    }

    /**
     * kubeadm ends its stderr with a "To see the stack trace ..." hint; the error is the line before it, so that is
     * the one the exception carries.
     */
    private ExecResult run(Command command) {
        ExecResult r = host.run(command);
        if (r.ok()) {
            return r;
        }
        String reason = r.stderr().lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("To see the stack trace"))
                .reduce((a, b) -> b).map(command::scrub).orElse("no output");
        throw new CommandFailedException(r, "'" + command.display() + "' " + r.outcome() + ": " + reason);
    }
}
