package io.kubestead.agent.lb;

import io.kubestead.agent.spec.LoadBalancer;
import io.kubestead.agent.host.Host;

import java.util.ArrayList;
import java.util.List;

/**
 * What another balancer mode left on a node: after a switch (a rerun of install with another balancer, or
 * set-endpoint), the old mode's static pod, configuration, processes and units must go, or they keep running
 * beside the new one. Files are removed only if they carry Kubestead's mark.
 *
 * @param internal  the internal balancer is wanted here (its HAProxy files and bootstrap instance stay)
 * @param keepalived keepalived is wanted here (VIP on a master)
 * @param lbSync    the lb-sync timer is wanted here (the node's balancer follows the masters)
 */
public record BalancerLeftovers(LbPaths paths, boolean internal, boolean keepalived, boolean lbSync) {

    public static BalancerLeftovers forNode(LbPaths paths, LbSettings settings, boolean master, boolean followsMasters) {
        return new BalancerLeftovers(paths, settings.runsHaproxy(), settings.mode() == LoadBalancer.Mode.VIP && master,
                followsMasters);
    }

    /** What is there to remove, one short phrase each, in the order {@link #remove} removes it. */
    public List<String> find(Host host) {
        List<String> found = new ArrayList<>();
        if (!lbSync && (host.exists(LbSyncUnits.TIMER) || host.exists(LbSyncUnits.SERVICE) || host.exists(LbSyncUnits.CHECK))) {
            found.add("the lb-sync timer");
        }
        if (!internal) {
            if (new BootstrapBalancer(host, paths, LbSettings.DEFAULT_HAPROXY_IMAGE).running()
                    || host.exists(paths.bootstrapPidFile())) {
                found.add("the bootstrap HAProxy");
            }
            if (marked(host, paths.haproxyManifest())) {
                found.add("the HAProxy static pod");
            }
            if (marked(host, paths.haproxyConfig())) {
                found.add("haproxy.cfg");
            }
        }
        if (!keepalived && marked(host, paths.keepalivedConfig())) {
            found.add("keepalived");
        }
        return found;
    }

    /**
     * Removes what {@link #find} finds: the lb-sync timer first (so that it cannot write the old mode's files
     * again), then the bootstrap instance, the static pod (kubelet stops it when its manifest goes), the
     * configuration, keepalived (disabled and stopped). Returns what was removed; nothing on a second call.
     */
    public List<String> remove(Host host) {
        List<String> removed = new ArrayList<>();
        if (!lbSync && (host.exists(LbSyncUnits.TIMER) || host.exists(LbSyncUnits.SERVICE) || host.exists(LbSyncUnits.CHECK))) {
            host.run("systemctl", "disable", "--now", LbSyncUnits.TIMER_UNIT).check();
            host.delete(LbSyncUnits.TIMER);
            host.delete(LbSyncUnits.SERVICE);
            host.delete(LbSyncUnits.CHECK);
            host.delete(LbSyncUnits.STAMP);
            host.run("systemctl", "daemon-reload").check();
            removed.add("the lb-sync timer (disabled, units removed)");
        }
        if (!internal) {
            BootstrapBalancer bootstrap = new BootstrapBalancer(host, paths, LbSettings.DEFAULT_HAPROXY_IMAGE);
            if (bootstrap.running()) {
                bootstrap.stop();
                removed.add("the bootstrap HAProxy (stopped)");
            } else if (host.exists(paths.bootstrapPidFile())) {
                host.delete(paths.bootstrapPidFile());
            }
            if (deleteMarked(host, paths.haproxyManifest())) {
                removed.add(paths.haproxyManifest() + " (kubelet stops the HAProxy static pod)");
            }
            if (deleteMarked(host, paths.haproxyConfig())) {
                removed.add(paths.haproxyConfig());
            }
            if (host.exists(paths.haproxyDir()) && host.list(paths.haproxyDir()).isEmpty()) {
                host.delete(paths.haproxyDir());
            }
        }
        if (!keepalived && deleteMarked(host, paths.keepalivedConfig())) {
            host.run("systemctl", "disable", "--now", "keepalived").check();
            removed.add(paths.keepalivedConfig() + " (keepalived disabled and stopped)");
        }
        return removed;
    }

    private static boolean marked(Host host, String path) {
        return host.readString(path).map(t -> t.startsWith(NodeBalancer.HEADER)).orElse(false);
    }

    private static boolean deleteMarked(Host host, String path) {
        if (!marked(host, path)) {
            return false;
        }
        host.delete(path);
        return true;
    }
}
