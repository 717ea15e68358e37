package io.kubestead.agent.plan.phases;

import io.kubestead.agent.controlplane.MaintenanceUnits;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A master's upkeep timers: the daily certificate check on every master, and on the first master the etcd
 * snapshot every {@code etcd-backup=} interval (none when it is 0; a timer an earlier run left is then removed).
 */
final class MaintenancePhase implements Phase {
    private final Duration backupEvery;

    /** @param backupEvery zero for no backup timer */
    MaintenancePhase(Duration backupEvery) {
        this.backupEvery = backupEvery;
    }

    @Override
    public String id() {
        return "maintenance/timers";
    }

    @Override
    public String title() {
        return "Renew certificates daily" + (backupEvery.isZero() ? "" : " and back up etcd on a timer");
    }

    @Override
    public boolean done(PhaseContext ctx) {
        var h = ctx.host();
        boolean certs = h.readString(MaintenanceUnits.CERTS_SERVICE).map(MaintenanceUnits.certsService()::equals).orElse(false)
                && h.readString(MaintenanceUnits.CERTS_TIMER).map(MaintenanceUnits.certsTimer()::equals).orElse(false);
        boolean backup = backupEvery.isZero() ? !h.exists(MaintenanceUnits.BACKUP_TIMER)
                : h.readString(MaintenanceUnits.BACKUP_TIMER).map(MaintenanceUnits.backupTimer(backupEvery)::equals).orElse(false)
                && h.exists(MaintenanceUnits.BACKUP_SERVICE);
        return certs && backup;
    }

    @Override
    public void run(PhaseContext ctx) {
        var h = ctx.host();
        h.writeString(MaintenanceUnits.CERTS_SERVICE, MaintenanceUnits.certsService(), 0644);
        h.writeString(MaintenanceUnits.CERTS_TIMER, MaintenanceUnits.certsTimer(), 0644);
        List<String> enable = new ArrayList<>(List.of(MaintenanceUnits.CERTS_TIMER_UNIT));
        if (backupEvery.isZero()) {
            if (h.exists(MaintenanceUnits.BACKUP_TIMER)) {
                h.run("systemctl", "disable", "--now", MaintenanceUnits.BACKUP_TIMER_UNIT).check();
                h.delete(MaintenanceUnits.BACKUP_TIMER);
                h.delete(MaintenanceUnits.BACKUP_SERVICE);
            }
        } else {
            h.writeString(MaintenanceUnits.BACKUP_SERVICE, MaintenanceUnits.backupService(
                    io.kubestead.agent.backup.EtcdBackup.DEFAULT_RETAIN), 0644);
            h.writeString(MaintenanceUnits.BACKUP_TIMER, MaintenanceUnits.backupTimer(backupEvery), 0644);
            enable.add(MaintenanceUnits.BACKUP_TIMER_UNIT);
        }
        h.run("systemctl", "daemon-reload").check();
        List<String> argv = new ArrayList<>(List.of("systemctl", "enable", "--now"));
        argv.addAll(enable);
        h.run(argv.toArray(String[]::new)).check();
    }
}
