package io.kubestead.agent.plan.phases;

import io.kubestead.agent.lb.BalancerCheckResult;
import io.kubestead.agent.lb.ExternalBalancerCheck;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.time.Duration;
import java.util.List;

/**
 * With the user's balancer: once this API server is up, confirm the balancer really forwards to it, and tell the
 * user which targets it needs. A balancer that does not forward yet is a warning: many are set up after the first
 * master, and joins through it will fail until it does.
 */
final class ExternalBalancerPhase implements Phase {
    private final LbSettings settings;
    private final List<Master> masters;
    private final String thisMaster;
    private final Duration patience;

    ExternalBalancerPhase(LbSettings settings, List<Master> masters, String thisMaster, Duration patience) {
        this.settings = settings;
        this.masters = List.copyOf(masters);
        this.thisMaster = thisMaster;
        this.patience = patience;
    }

    @Override
    public String id() {
        return "lb/external-check";
    }

    @Override
    public String title() {
        return "Check that the load balancer forwards to this master";
    }

    @Override
    public void run(PhaseContext ctx) throws InterruptedException {
        settings.balancerTargets(masters).ifPresent(t -> t.lines().forEach(ctx.progress()::info));
        if (ctx.dryRun()) {
            ctx.progress().info("would connect to " + settings.external().orElseThrow() + " and compare the certificate it"
                    + " presents with /etc/kubernetes/pki/apiserver.crt");
            return;
        }
        byte[] pem = ctx.host().readFile("/etc/kubernetes/pki/apiserver.crt").orElseThrow(
                () -> new IllegalStateException("/etc/kubernetes/pki/apiserver.crt is missing"));
        BalancerCheckResult r = new ExternalBalancerCheck(Duration.ofSeconds(3), 4).checkUntil(settings.external().orElseThrow(),
                thisMaster, ExternalBalancerCheck.readCertificate(pem), patience);
        if (r.ok()) {
            ctx.progress().info(r.message());
        } else {
            ctx.progress().warn(r.message());
        }
    }
}
