package io.kubestead.agent.cli;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.LoadBalancer;
import java.util.List;

/**
 * The end of an install: how to add masters and workers. The commands carry the token (and for masters the
 * certificate key), so they are shown on a terminal only; in a pipe or CI log the script paths are shown instead.
 */
final class JoinPrintout {
    private final CliEnvironment env;

    JoinPrintout(CliEnvironment env) {
        this.env = env;
    }

    void print(Host host, InstallSpec spec) {
        var secrets = JoinSecrets.load(host);
        if (secrets.isEmpty()) {
            return;
        }
        boolean masters = spec.ha();
        env.out().println();
        env.out().println("The first master of cluster '" + spec.clusterName() + "' is installed.");
        if (masters) {
            io.kubestead.agent.lb.QuorumAdvice.forMasters(1, true)
                    .ifPresent(w -> env.out().println(w.replaceFirst("^warning: ", "Note: ")));
            show(host, JoinCommands.MASTER_SCRIPT, "To add a master (valid until " + secrets.get().keyExpires() + "), run on it:");
        } else {
            env.out().println("To add masters later, rerun the install with the word 'ha' on this host.");
        }
        show(host, JoinCommands.WORKER_SCRIPT, "To add a worker (valid until " + secrets.get().tokenExpires() + "), run on it:");
        env.out().println("New commands at any time: " + (masters ? "'kubestead join-script master' or " : "")
                + "'kubestead join-script worker' on a master.");
        if (spec.loadBalancer().mode() == LoadBalancer.Mode.EXTERNAL) {
            env.out().println("Add each master to the load balancer " + spec.loadBalancer().external() + " once it has joined.");
        }
    }

    private void show(Host host, String script, String heading) {
        env.out().println(heading);
        if (env.terminal()) {
            List<String> lines = host.readString(script).orElse("").lines().toList();
            env.out().println("  " + (lines.isEmpty() ? "(missing " + script + ")" : lines.get(lines.size() - 1)));
        } else {
            env.out().println("  the command in " + script + " (mode 0600; it carries secrets, so it is shown only on a terminal)");
        }
    }
}
