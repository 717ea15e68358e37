package io.kubestead.agent.plan.phases;

import io.kubestead.agent.controlplane.MaintenanceUnits;
import io.kubestead.agent.controlplane.StaticPods;
import io.kubestead.agent.hostsetup.KernelSettings;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.lb.BootstrapBalancer;
import io.kubestead.agent.lb.LbPaths;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.node.PurgeUnits;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.reset.HostCleanup;
import io.kubestead.agent.reset.KubeadmTraces;
import java.util.ArrayList;
import java.util.List;

/**
 * Undoing what install and join set up on the host, in the reverse order of setting it up. Every step looks at
 * the host and does only what is still there, so a second reset does nothing.
 */
final class CleanupSteps {
    static final String STATE_DIR = "/var/lib/kubestead";
    static final String CONFIG_DIR = "/etc/kubestead";
    static final String RUN_DIR = "/run/kubestead";
    /** Written on each node by the flannel DaemonSet that install applies. */
    static final String FLANNEL_CONFIG = "/etc/cni/net.d/10-flannel.conflist";
    private final ResetContext rc;
    private final LbPaths lb = LbPaths.standard();

    CleanupSteps(ResetContext rc) {
        this.rc = rc;
    }

    private HostCleanup cleanup(PhaseContext ctx) {
        return new HostCleanup(ctx.host(), rc.report());
    }

    /** First, so that the timer cannot rewrite the balancer files while they are being removed. */
    Phase lbSync() {
        return new ResetStep("lb/sync", "Stop following the masters (the lb-sync timer)", ctx -> {
            if (!ctx.host().exists(LbSyncPhase.TIMER) && !ctx.host().exists(LbSyncPhase.SERVICE)) {
                return;
            }
            ctx.host().run("systemctl", "disable", "--now", "kubestead-lb-sync.timer").check();
            HostCleanup c = cleanup(ctx);
            c.removeFile(LbSyncPhase.TIMER, "timer that ran kubestead lb-sync");
            c.removeFile(LbSyncPhase.SERVICE, "kubestead lb-sync service");
            ctx.host().run("systemctl", "daemon-reload").check();
        });
    }

    /** With lb-sync's: the purge timer must not purge while this master leaves. */
    Phase purgeLost() {
        return new ResetStep("purge-lost", "Stop taking part in the automatic purge (the purge-lost timer)", ctx -> {
            if (!ctx.host().exists(PurgeUnits.TIMER) && !ctx.host().exists(PurgeUnits.SERVICE)) {
                return;
            }
            ctx.host().run("systemctl", "disable", "--now", PurgeUnits.TIMER_UNIT).check();
            HostCleanup c = cleanup(ctx);
            c.removeFile(PurgeUnits.TIMER, "timer that ran kubestead node purge-lost");
            c.removeFile(PurgeUnits.SERVICE, "kubestead node purge-lost service");
            ctx.host().run("systemctl", "daemon-reload").check();
        });
    }

    /** The upkeep timers of a master: no certificate renewal or etcd snapshot may start while the host is undone. */
    Phase maintenance() {
        return new ResetStep("maintenance/timers", "Stop the certificate renewal and etcd backup timers", ctx -> {
            HostCleanup c = cleanup(ctx);
            boolean any = false;
            for (String[] unit : List.of(
                    new String[] {MaintenanceUnits.CERTS_TIMER_UNIT, MaintenanceUnits.CERTS_TIMER, MaintenanceUnits.CERTS_SERVICE},
                    new String[] {MaintenanceUnits.BACKUP_TIMER_UNIT, MaintenanceUnits.BACKUP_TIMER, MaintenanceUnits.BACKUP_SERVICE})) {
                if (ctx.host().exists(unit[1]) || ctx.host().exists(unit[2])) {
                    ctx.host().run("systemctl", "disable", "--now", unit[0]).check();
                    c.removeFile(unit[1], "timer " + unit[0]);
                    c.removeFile(unit[2], "its service");
                    any = true;
                }
            }
            if (any) {
                ctx.host().run("systemctl", "daemon-reload").check();
            }
        });
    }

    Phase bootstrapBalancer() {
        return new ResetStep("lb/bootstrap", "Stop the bootstrap load balancer if it runs", ctx -> {
            BootstrapBalancer b = new BootstrapBalancer(ctx.host(), lb, LbSettings.DEFAULT_HAPROXY_IMAGE);
            if (b.running()) {
                b.stop();
                rc.report().removed("the bootstrap load balancer (stopped)");
            } else {
                ctx.host().delete(lb.bootstrapPidFile()); // a stale pid file from before a reboot
            }
        });
    }

    Phase kubeconfigs() {
        return new ResetStep("kubeconfig", "Remove the copies of admin.conf given to kubectl", ctx -> {
            List<String> paths = new ArrayList<>(List.of("/root/.kube/config"));
            rc.sudoUser().filter(u -> !u.equals("root") && u.matches("[a-z_][a-z0-9_.-]*"))
                    .flatMap(u -> UserHome.of(ctx.host(), u)).ifPresent(home -> paths.add(home + "/.kube/config"));
            cleanup(ctx).removeCopies(Kubeadm.ADMIN_KUBECONFIG, paths);
        });
    }

    Phase kubeadmReset() {
        return new ResetStep("kubeadm/reset", "Undo kubeadm init or join with kubeadm reset --force", ctx -> {
            if (ctx.host().exists(StaticPods.PAUSED)) {
                // the API server leave/api-server stopped, and any a killed renewal left: kubeadm knows none of them
                cleanup(ctx).removeTree(StaticPods.PAUSED, "static pod manifests set aside while their pods stopped");
            }
            if (!KubeadmTraces.present(ctx.host())) {
                ctx.progress().info("kubeadm left nothing on this host");
                return;
            }
            boolean balancer = ctx.host().exists(lb.haproxyManifest());
            rc.kubeadm().apply(ctx.host()).reset();
            rc.report().removed("what kubeadm set up: /etc/kubernetes manifests, kubeconfigs and certificates,"
                    + " /var/lib/kubelet, /var/lib/etcd (kubeadm reset --force)");
            if (balancer && !ctx.host().exists(lb.haproxyManifest())) {
                rc.report().removed(lb.haproxyManifest() + " (HAProxy static pod, with kubeadm's manifests)");
            }
            rc.report().left("iptables rules and the pod network's interfaces (kubeadm reset leaves them; they go at"
                    + " the next boot)");
        });
    }

    Phase cni() {
        return new ResetStep("cni", "Remove the pod network configuration", ctx ->
                cleanup(ctx).removeFile(FLANNEL_CONFIG, "flannel's CNI configuration, which kubeadm reset leaves"));
    }

    Phase kubelet() {
        return new ResetStep("kubelet", "Stop the kubelet", ctx -> {
            if (ctx.host().run("systemctl", "is-active", "--quiet", "kubelet").ok()) {
                ctx.host().run("systemctl", "stop", "kubelet").check();
                rc.report().removed("the running kubelet (stopped; it stays installed and enabled, idle until the"
                        + " next install or join)");
            }
        });
    }

    Phase balancerFiles() {
        return new ResetStep("lb/files", "Remove the load balancer files and the managed /etc/hosts block", ctx -> {
            HostCleanup c = cleanup(ctx);
            c.removeIfMarked(lb.haproxyManifest(), "HAProxy static pod");
            if (c.removeIfMarked(lb.keepalivedConfig(), "keepalived configuration")) {
                ctx.host().run("systemctl", "disable", "--now", "keepalived").check();
                rc.report().removed("keepalived from the services started at boot (disabled and stopped)");
            }
            c.removeHostsBlock(lb.hostsFile());
        });
    }

    Phase kernel() {
        return new ResetStep("host/kernel", "Remove the kernel module and sysctl settings files", ctx -> {
            HostCleanup c = cleanup(ctx);
            boolean any = c.removeFile(KernelSettings.MODULES_FILE, "kernel modules loaded at boot");
            any |= c.removeFile(KernelSettings.SYSCTL_FILE, "sysctls for pod networking");
            if (any) {
                rc.report().left("the kernel modules and sysctl values in effect now (they go at the next boot)");
            }
        });
    }

    Phase kubesteadFiles() {
        return new ResetStep("kubestead-files", "Remove Kubestead's settings, state, join scripts and secrets", ctx -> {
            HostCleanup c = cleanup(ctx);
            c.removeTree(CONFIG_DIR, "install settings, kubeadm configurations, balancer configuration");
            String backups = STATE_DIR + "/backups";
            if (ctx.host().exists(backups)) {
                // the way back after a lost quorum: kept, but said, as they hold the CA keys
                for (String child : ctx.host().list(STATE_DIR)) {
                    if (!child.equals("backups")) {
                        c.removeTree(STATE_DIR + "/" + child, "state, join scripts and join secrets");
                    }
                }
                rc.report().left(backups + " (etcd backups with the cluster's CA keys: delete them when no cluster needs them)");
            } else {
                c.removeTree(STATE_DIR, "state, join scripts and join secrets");
            }
            c.removeTree(RUN_DIR, "runtime files");
        });
    }
}
