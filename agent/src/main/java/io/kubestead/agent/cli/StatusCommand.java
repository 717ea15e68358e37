package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.agent.status.ClusterStatus;
import io.kubestead.agent.status.StatusCollector;
import io.kubestead.agent.status.StatusJson;
import io.kubestead.agent.status.StatusText;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, header = "Show the cluster's health, with advice.",
        description = {"On a master: the nodes (role, Ready, kubelet version, taints, age), etcd (members, health,",
            "leader, learners, database size, failures it can still tolerate), this node's balancer with each backend's",
            "/readyz as seen from here, certificate expiries, the join scripts' expiry, and advice with the reason for",
            "each. Changes nothing. Exit 0 when healthy, 1 with findings, 2 for bad options or when not on a master."})
final class StatusCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Option(names = {"-o", "--output"}, description = "text (default) or json", defaultValue = "text", paramLabel = "FORMAT")
    String output;

    @Option(names = "--api-server", hidden = true, paramLabel = "URL",
            description = "the API server to ask instead of admin.conf's (tests reach it by address)")
    URI apiServer;

    @Option(names = "--etcd-endpoint", hidden = true, paramLabel = "URL", description = "etcd client URL (https://127.0.0.1:2379)")
    URI etcdEndpoint = StatusCollector.LOCAL_ETCD;

    StatusCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!output.equals("text") && !output.equals("json")) {
            throw new SpecException("-o " + Shown.value(output) + ": give text or json");
        }
        Host host = env.realHost().apply(new ActionLog());
        ClusterStatus status = StatusCollector.onMaster(host, Optional.ofNullable(apiServer), etcdEndpoint, env.clock())
                .collect();
        if (output.equals("json")) {
            env.out().print(StatusJson.render(status));
        } else {
            // names and messages come from the API and etcd: shown, never interpreted by the terminal
            StatusText.render(status).lines().forEach(l -> env.out().println(Shown.escape(l)));
        }
        env.out().flush();
        return status.healthy() ? 0 : ExitCodes.FAILURE;
    }
}
