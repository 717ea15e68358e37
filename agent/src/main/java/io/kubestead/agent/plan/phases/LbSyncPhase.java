package io.kubestead.agent.plan.phases;

import io.kubestead.agent.join.ClusterNodes;
import io.kubestead.agent.lb.LbSyncUnits;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/**
 * Backends follow the masters, on nodes whose balancer depends on them (internal HAProxy everywhere, keepalived's
 * peers on VIP masters): a systemd timer runs a small check every 30 seconds, which starts {@code kubestead lb-sync}
 * only when the masters or this node's balancer files changed (see {@link LbSyncUnits}).
 */
final class LbSyncPhase implements Phase {
    static final String SERVICE = LbSyncUnits.SERVICE;
    static final String TIMER = LbSyncUnits.TIMER;

    @Override
    public String id() {
        return "lb/sync";
    }

    @Override
    public String title() {
        return "Keep the load balancer's backends in step with the masters";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().exists(SERVICE) && ctx.host().exists(TIMER) && ctx.host().exists(LbSyncUnits.CHECK);
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().writeString(LbSyncUnits.CHECK, LbSyncUnits.standard(ClusterNodes.argv(LbSyncUnits.KUBECONFIG, true)).checkScript(), 0755);
        ctx.host().writeString(SERVICE, LbSyncUnits.service(), 0644);
        ctx.host().writeString(TIMER, LbSyncUnits.timer(), 0644);
        ctx.host().delete(LbSyncUnits.STAMP); // the install may have written the files: the next check syncs once
        ctx.host().run("systemctl", "daemon-reload").check();
        ctx.host().run("systemctl", "enable", "--now", LbSyncUnits.TIMER_UNIT).check();
    }
}
