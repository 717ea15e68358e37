package io.kubestead.agent.plan.phases;

import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.FileOutcome;
import io.kubestead.agent.pki.KeyPool;
import io.kubestead.agent.pki.Renewal;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.List;

/**
 * On a master reached through a moved endpoint: its API server certificate gains the new balancer's name and
 * address (the API server reloads its serving certificate from disk by itself).
 */
final class ApiServerSansPhase implements Phase {
    private final List<String> sans;

    ApiServerSansPhase(List<String> sans) {
        this.sans = List.copyOf(sans);
    }

    @Override
    public String id() {
        return "pki/apiserver-sans";
    }

    @Override
    public String title() {
        return "Add " + String.join(", ", sans) + " to this master's API server certificate";
    }

    @Override
    public void run(PhaseContext ctx) {
        List<FileOutcome> out = new Renewal(KeyPool.perCpu(), new CertIssuer(new java.security.SecureRandom()))
                .addApiServerSans(ctx.host(), sans, ctx.clock().instant());
        out.stream().filter(o -> o.status() == FileOutcome.Status.REISSUED).forEach(o -> ctx.progress().info(o.line()));
    }
}
