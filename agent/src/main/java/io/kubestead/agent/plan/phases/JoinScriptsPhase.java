package io.kubestead.agent.plan.phases;

import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinScriptIssuer;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.InstallSpec;
import java.security.SecureRandom;
import java.util.List;
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

    /** The commands for the secrets on the host. */
    static JoinCommands commands(PhaseContext ctx, InstallSpec spec, Optional<String> baseUrl) {
        JoinSecrets secrets = JoinSecrets.load(ctx.host()).orElseThrow(
                () -> new IllegalStateException(JoinSecrets.PATH + " is missing; rerun install"));
        byte[] ca = ctx.host().readFile("/etc/kubernetes/pki/ca.crt").orElseThrow(
                () -> new IllegalStateException("/etc/kubernetes/pki/ca.crt is missing; rerun install"));
        String hash = CaHash.of(io.kubestead.agent.lb.ExternalBalancerCheck.readCertificate(ca));
        JoinScriptIssuer issuer = new JoinScriptIssuer(ctx.host(), new HostKubeadm(ctx.host()), new SecureRandom(), ctx.clock());
        List<String> masters = ctx.dryRun() ? List.of(spec.privateAddress()) : issuer.masters(List.of(spec.privateAddress()));
        return new JoinCommands(spec, masters, secrets, hash, baseUrl.orElse(null));
    }

    @Override
    public void run(PhaseContext ctx) {
        baseUrl.ifPresent(url -> ctx.host().writeString("/etc/kubestead/base-url", url + "\n", 0644));
        JoinCommands commands = commands(ctx, spec, baseUrl);
        new JoinScriptIssuer(ctx.host(), new HostKubeadm(ctx.host()), new SecureRandom(), ctx.clock()).writeScripts(commands);
    }
}
