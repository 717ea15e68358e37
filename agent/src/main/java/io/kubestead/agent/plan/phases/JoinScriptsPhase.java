package io.kubestead.agent.plan.phases;

import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinScriptIssuer;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.InstallSpec;
import java.security.SecureRandom;
import java.util.Optional;

/** Writes the master and worker join scripts (mode 0600) for the token and key that init registered. */
final class JoinScriptsPhase implements Phase {
    private final InstallSpec spec;
    private final Optional<String> baseUrl;

    JoinScriptsPhase(InstallSpec spec, Optional<String> baseUrl) {
        this.spec = spec;
        this.baseUrl = baseUrl;
    }

    @Override
    public String id() {
        return "join-scripts";
    }

    @Override
    public String title() {
        return "Write the join scripts for masters and workers";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().exists(JoinCommands.MASTER_SCRIPT) && ctx.host().exists(JoinCommands.WORKER_SCRIPT);
    }

    @Override
    public void run(PhaseContext ctx) {
        baseUrl.ifPresent(url -> ctx.host().writeString(JoinScriptIssuer.BASE_URL_PATH, url + "\n", 0644));
        JoinSecrets secrets = JoinSecrets.load(ctx.host()).orElseThrow(
                () -> new IllegalStateException(JoinSecrets.PATH + " is missing; rerun install"));
        JoinScriptIssuer issuer = new JoinScriptIssuer(ctx.host(), new HostKubeadm(ctx.host()), new SecureRandom(), ctx.clock());
        issuer.writeScripts(issuer.commands(spec, secrets, !ctx.dryRun()));
    }
}
