package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.node.PurgeSettings;
import io.kubestead.agent.node.PurgeUnits;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.time.Duration;
import java.util.Optional;

/**
 * The automatic purge of lost nodes on an HA master: the timer and its check on every master, and on the first
 * master the cluster's setting (purge-after) as a ConfigMap all masters read. Which master purges is decided at
 * each round by a Lease, so installing it on every master is safe.
 */
final class PurgeLostPhase implements Phase {
    static final String SETTINGS_FILE = "/etc/kubestead/node-purge.json";
    private final Optional<Duration> setting;

    /** @param setting the cluster's purge-after to apply (the first master), or empty (a joining master) */
    PurgeLostPhase(Optional<Duration> setting) {
        this.setting = setting;
    }

    @Override
    public String id() {
        return "post/purge-lost";
    }

    @Override
    public String title() {
        return setting.map(d -> d.isZero() ? "Turn the automatic purge of lost nodes off (purge-after=0)"
                : "Purge nodes NotReady for " + d.toString().substring(2).toLowerCase() + " (one elected master at a time)")
                .orElse("Take part in the automatic purge of lost nodes");
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().readString(PurgeUnits.CHECK).map(PurgeUnits.checkScript()::equals).orElse(false)
                && ctx.host().exists(PurgeUnits.SERVICE) && ctx.host().exists(PurgeUnits.TIMER)
                && setting.map(d -> ctx.host().readString(SETTINGS_FILE).map(PurgeSettings.manifest(d)::equals).orElse(false))
                        .orElse(true);
    }

    @Override
    public void run(PhaseContext ctx) {
        if (setting.isPresent()) {
            ctx.host().writeString(SETTINGS_FILE, PurgeSettings.manifest(setting.get()), 0644);
            ctx.host().run(Command.of("kubectl", "--kubeconfig", Kubeadm.ADMIN_KUBECONFIG, "apply", "-f", SETTINGS_FILE)).check();
        }
        ctx.host().writeString(PurgeUnits.CHECK, PurgeUnits.checkScript(), 0755);
        ctx.host().writeString(PurgeUnits.SERVICE, PurgeUnits.service(), 0644);
        ctx.host().writeString(PurgeUnits.TIMER, PurgeUnits.timer(), 0644);
        ctx.host().run("systemctl", "daemon-reload").check();
        ctx.host().run("systemctl", "enable", "--now", PurgeUnits.TIMER_UNIT).check();
    }
}
