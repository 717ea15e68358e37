package io.kubestead.agent.plan.phases;

import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.BootstrapBalancer;
import io.kubestead.agent.lb.LbPaths;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.lb.NodeBalancer;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.List;
import java.util.Optional;

/**
 * The stable API name in /etc/hosts and this mode's balancer files; for the internal balancer before kubeadm, a
 * bootstrap HAProxy started directly, because kubeadm needs the endpoint before kubelet runs any static pod. The
 * choice is recorded first (/etc/kubestead/balancer.json), so that an lb-sync run during a switch of mode, or after
 * a reboot in the middle of one, works towards the new mode rather than back to the old one.
 */
final class LbPreparePhase implements Phase {
    private final LbSettings settings;
    private final List<Master> masters;
    private final Optional<String> localMaster;
    private final BalancerFile record;
    private final boolean bootstrap;

    /** @param bootstrap start a bootstrap HAProxy (install and join, before kubelet runs static pods) */
    LbPreparePhase(LbSettings settings, List<Master> masters, Optional<String> localMaster, BalancerFile record,
                   boolean bootstrap) {
        this.settings = settings;
        this.masters = List.copyOf(masters);
        this.localMaster = localMaster;
        this.record = record;
        this.bootstrap = bootstrap && settings.runsHaproxy();
    }

    @Override
    public String id() {
        return "lb/prepare";
    }

    @Override
    public String title() {
        String name = "Point the stable API name at ";
        return switch (settings.mode()) {
            case INTERNAL -> name + "the local HAProxy on 127.0.0.1:" + settings.internalPort()
                    + (bootstrap ? ", started directly until kubelet runs it" : " and write its configuration");
            case EXTERNAL -> name + "the load balancer " + settings.external().orElseThrow();
            case VIP -> name + "the VIP " + settings.vip().orElseThrow().address()
                    + (localMaster.isPresent() ? ", held by keepalived among the masters" : "");
            case NONE -> name + "the master " + (masters.isEmpty() ? "" : masters.get(0).address());
        };
    }

    @Override
    public boolean done(PhaseContext ctx) {
        // the bootstrap balancer is a process: after a reboot mid-install it must be started again
        return record.recorded(ctx.host()) && (!bootstrap || ctx.host().exists(LbPaths.standard().haproxyManifest())
                || new BootstrapBalancer(ctx.host(), LbPaths.standard(), settings.haproxyImage()).running());
    }

    @Override
    public void run(PhaseContext ctx) {
        if (ctx.dryRun() && settings.vip().isPresent() && localMaster.isPresent()) {
            ctx.progress().info("the VIP's interface comes from 'ip -o route get " + settings.vip().get().address()
                    + "' on the real host; this dry-run's keepalived.conf shows " + settings.vip().get().networkInterface());
        }
        record.write(ctx.host());
        var change = new NodeBalancer(settings, LbPaths.standard()).prepare(ctx.host(), masters, localMaster);
        change.written().forEach(p -> ctx.progress().info("wrote " + p));
        if (bootstrap && !ctx.host().exists(LbPaths.standard().haproxyManifest())) {
            String how = new BootstrapBalancer(ctx.host(), LbPaths.standard(), settings.haproxyImage()).start();
            ctx.progress().info("bootstrap load balancer started (" + how + ") until kubelet runs the static pod");
        }
    }
}
