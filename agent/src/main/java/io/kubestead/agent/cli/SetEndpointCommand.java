package io.kubestead.agent.cli;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.plan.Plan;
import io.kubestead.agent.plan.phases.EndpointPlan;
import io.kubestead.agent.spec.EndpointWords;
import io.kubestead.agent.spec.JoinSpec;
import io.kubestead.agent.spec.JoinSpecParser;
import io.kubestead.agent.spec.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-endpoint", mixinStandardHelpOptions = true,
        header = "Point this node at a moved API endpoint (printed by an install rerun).",
        description = {"After 'kubestead install ha load-balancer-address=NEW' on a master, run the command it printed on",
            "every other node: it updates the /etc/hosts entry, the local load balancer and the kubeconfigs."})
final class SetEndpointCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Parameters(arity = "0..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    SetEndpointCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Words.parse(words, EndpointWords.ALL, "set-endpoint"); // only these words, checked here
        JoinSpec spec = new JoinSpecParser(env.facts().hostName(), env.facts().primaryAddress(), env.workingDir())
                .parse(EndpointWords.asJoinWords(words));
        if (spec.dryRun().isEmpty() && !env.root()) {
            env.err().println("kubestead: set-endpoint changes this host and must run as root; use sudo");
            return ExitCodes.FAILURE;
        }
        try (PlanExecution execution = new PlanExecution(env, spec.dryRun(), "set-endpoint")) {
            Host host = execution.host();
            Optional<String> localMaster = host.exists("/etc/kubernetes/manifests/kube-apiserver.yaml")
                    ? Optional.of(env.facts().hostName().toLowerCase()) : Optional.empty();
            Plan plan = EndpointPlan.create(spec, localMaster, host);
            // each call brings new words: every step runs
            execution.run(plan, "set-endpoint " + spec.endpoint(), Set.of(), () -> execution.state().forget(plan.name()));
        }
        env.out().println("This node now reaches the API at " + spec.endpoint() + ".");
        return 0;
    }
}
