package io.kubestead.agent.cli;

import io.kubestead.agent.console.ConsolePaths;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.InstallSpec;
import java.util.Optional;

/**
 * The end of an install, for the console: where it is, and a generated password shown once. On a terminal the
 * password is printed and its file deleted; in a pipe or CI log only the file (0600) is named.
 */
final class ConsolePrintout {
    private final CliEnvironment env;

    ConsolePrintout(CliEnvironment env) {
        this.env = env;
    }

    void print(Host host, InstallSpec spec) {
        if (!spec.console().enabled()) {
            return;
        }
        env.out().println("Console: https://" + spec.privateAddress() + ":" + spec.console().port()
                + "/ (its certificate is from the cluster CA, /etc/kubernetes/pki/ca.crt)");
        Optional<String> initial = host.readString(ConsolePaths.INITIAL_PASSWORD).map(String::strip);
        if (initial.isEmpty()) {
            return;
        }
        if (env.terminal() && spec.dryRun().isEmpty()) {
            env.out().println("Console password (shown this once; set another with 'kubestead console password'): "
                    + initial.get());
            host.delete(ConsolePaths.INITIAL_PASSWORD);
        } else {
            env.out().println("Console password: in " + ConsolePaths.INITIAL_PASSWORD
                    + " (mode 0600; shown only on a terminal); delete the file once you have it");
        }
    }
}
