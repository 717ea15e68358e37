package io.kubestead.agent.plan.phases;

import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/**
 * Backends follow the masters: a systemd timer on every node runs {@code kubestead lb-sync} every 30 seconds, which
 * reads the masters from the API and rewrites this node's balancer only when they changed.
 */
final class LbSyncPhase implements Phase {
    static final String SERVICE = "/etc/systemd/system/kubestead-lb-sync.service";
    static final String TIMER = "/etc/systemd/system/kubestead-lb-sync.timer";
    private final BalancerFile balancer;

    LbSyncPhase(BalancerFile balancer) {
        this.balancer = balancer;
    }

    @Override
    public String id() {
        return "lb/sync";
    }

    @Override
    public String title() {
        return balancer.followsMasters() ? "Keep the load balancer's backends in step with the masters"
                : "Record the load balancer choice";
    }

    static String service() {
        return """
                [Unit]
                Description=Kubestead: point this node's load balancer at the current masters
                After=network-online.target

                [Service]
                Type=oneshot
                ExecStart=/opt/kubestead/bin/kubestead lb-sync
                """;
    }

    static String timer() {
        return """
                [Unit]
                Description=Kubestead: follow the masters every 30 seconds

                [Timer]
                OnBootSec=30s
                OnUnitActiveSec=30s
                AccuracySec=5s

                [Install]
                WantedBy=timers.target
                """;
    }

    @Override
    public void run(PhaseContext ctx) {
        balancer.write(ctx.host());
        if (!balancer.followsMasters()) {
            return;
        }
        ctx.host().writeString(SERVICE, service(), 0644);
        ctx.host().writeString(TIMER, timer(), 0644);
        ctx.host().run("systemctl", "daemon-reload").check();
        ctx.host().run("systemctl", "enable", "--now", "kubestead-lb-sync.timer").check();
    }
}
