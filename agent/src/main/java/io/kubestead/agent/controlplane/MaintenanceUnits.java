package io.kubestead.agent.controlplane;

import java.time.Duration;

/**
 * The systemd units of a master's upkeep: a daily check that renews the certificates under 30 days (restarting
 * the control plane one master at a time, see {@link RollingRenewal}), and the periodic etcd snapshot. Each timer
 * starts the agent only at its time; a randomized delay keeps the masters from all checking at the same moment.
 */
public final class MaintenanceUnits {
    public static final String CERTS_SERVICE = "/etc/systemd/system/kubestead-certs-renew.service";
    public static final String CERTS_TIMER = "/etc/systemd/system/kubestead-certs-renew.timer";
    public static final String CERTS_TIMER_UNIT = "kubestead-certs-renew.timer";
    public static final String BACKUP_SERVICE = "/etc/systemd/system/kubestead-etcd-backup.service";
    public static final String BACKUP_TIMER = "/etc/systemd/system/kubestead-etcd-backup.timer";
    public static final String BACKUP_TIMER_UNIT = "kubestead-etcd-backup.timer";
    static final String AGENT = "/opt/kubestead/bin/kubestead";

    private MaintenanceUnits() {
    }

    public static String certsService() {
        return """
                [Unit]
                Description=Kubestead: renew this master's certificates under 30 days, one master at a time
                After=network-online.target

                [Service]
                Type=oneshot
                Environment=KUBESTEAD_LOCK_WAIT=3600
                ExecStart=%s certs renew due
                """.formatted(AGENT);
    }

    public static String certsTimer() {
        return """
                [Unit]
                Description=Kubestead: check the certificates daily

                [Timer]
                OnCalendar=daily
                RandomizedDelaySec=1h
                Persistent=true

                [Install]
                WantedBy=timers.target
                """;
    }

    public static String backupService(int retain) {
        return """
                [Unit]
                Description=Kubestead: save an etcd snapshot with the cluster's CA keys
                After=network-online.target

                [Service]
                Type=oneshot
                Environment=KUBESTEAD_LOCK_WAIT=600
                ExecStart=%s etcd snapshot --retain %d
                """.formatted(AGENT, retain);
    }

    public static String backupTimer(Duration every) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("no timer for backups that are off");
        }
        return """
                [Unit]
                Description=Kubestead: etcd snapshot every %s

                [Timer]
                OnBootSec=15min
                OnUnitActiveSec=%ds
                RandomizedDelaySec=60s

                [Install]
                WantedBy=timers.target
                """.formatted(every.toString().substring(2).toLowerCase(java.util.Locale.ROOT), every.toSeconds());
    }
}
