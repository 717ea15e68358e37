package io.kubestead.agent.lb;

import io.kubestead.agent.spec.LoadBalancer;
import io.kubestead.agent.host.Host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one node's balancer files through its {@link Host}: for INTERNAL the HAProxy configuration and its static
 * pod manifest, for VIP on masters the keepalived configuration, and in every mode the managed /etc/hosts block.
 * Only files whose content differs are written; running balancers are told about a changed configuration. What
 * another mode left is {@link BalancerLeftovers}'s to remove, once the new mode's files are in place.
 */
public final class NodeBalancer {
    static final String HEADER = "# Kubestead";
    private final LbSettings settings;
    private final LbPaths paths;

    public NodeBalancer(LbSettings settings, LbPaths paths) {
        this.settings = settings;
        this.paths = paths;
    }

    /** The files this node should have, path to content (the hosts file is computed from its current text). */
    public Map<String, String> desiredFiles(Host host, List<Master> masters, Optional<String> localMaster) {
        Map<String, String> files = new LinkedHashMap<>();
        if (settings.runsHaproxy()) {
            String cfg = HaproxyConfig.forNode(settings, masters, localMaster).render();
            files.put(paths.haproxyConfig(), cfg);
            files.put(paths.haproxyManifest(), HaproxyManifest.render(settings.haproxyImage(), paths.haproxyDir()));
        }
        if (settings.mode() == LoadBalancer.Mode.VIP && localMaster.isPresent()) {
            files.put(paths.keepalivedConfig(), new KeepalivedConfig(settings.vip().orElseThrow(), masters,
                    localMaster.get(), settings.clusterName()).render());
        }
        String hosts = host.readString(paths.hostsFile()).orElse("");
        files.put(paths.hostsFile(), HostsBlock.apply(hosts, settings.hostsEntries(masters)));
        return files;
    }

    /**
     * Before kubeadm init/join: everything but the static pod manifest (kubeadm's preflight wants the manifests
     * directory empty, and the bootstrap instance serves until then). An existing manifest is left alone.
     */
    public NodeChange prepare(Host host, List<Master> masters, Optional<String> localMaster) {
        return write(host, masters, localMaster, false);
    }

    /** After kubeadm, and on every later change of the masters: all files, including the static pod manifest. */
    public NodeChange apply(Host host, List<Master> masters, Optional<String> localMaster) {
        return write(host, masters, localMaster, true);
    }

    private NodeChange write(Host host, List<Master> masters, Optional<String> localMaster, boolean staticPod) {
        List<String> written = new ArrayList<>();
        List<String> reloads = new ArrayList<>();
        Map<String, String> desired = desiredFiles(host, masters, localMaster);
        BootstrapBalancer bootstrap = new BootstrapBalancer(host, paths, settings.haproxyImage());
        // Never beside a running bootstrap instance: the pod could not bind the port (see BootstrapBalancer).
        if (desired.containsKey(paths.haproxyManifest()) && (!staticPod || bootstrap.running())) {
            desired.remove(paths.haproxyManifest());
        }
        desired.forEach((path, content) -> {
            if (!host.readString(path).map(content::equals).orElse(false)) {
                host.writeString(path, content, modeOf(path));
                written.add(path);
            }
        });
        if (written.contains(paths.haproxyConfig()) && bootstrap.running()) {
            bootstrap.reload();
            reloads.add("haproxy-bootstrap");
        } else if (written.contains(paths.haproxyConfig()) && desired.containsKey(paths.haproxyManifest())
                && !written.contains(paths.haproxyManifest())) {
            // the pod's HAProxy reloads in place; a new manifest starts a pod that reads the new file anyway
            var reload = host.run(io.kubestead.agent.host.Command.of(HaproxyManifest.RELOAD));
            if (reload.exitCode() == 0) {
                reloads.add("haproxy");
            } else if (reload.exitCode() != 1) {
                throw new IllegalStateException("could not reload the local HAProxy (" + String.join(" ", HaproxyManifest.RELOAD)
                        + " exited " + reload.exitCode() + ": " + reload.stderr().strip() + "); it still serves the old"
                        + " masters: install procps (pkill), or restart it: crictl rm -f $(crictl ps -q --name '^haproxy$')");
            }
        }
        if (written.contains(paths.keepalivedConfig())) {
            host.run("systemctl", "enable", "keepalived").check();
            host.run("systemctl", "reload-or-restart", "keepalived").check();
            reloads.add("keepalived");
        }
        return new NodeChange(host.name(), written, List.of(), reloads);
    }

    private int modeOf(String path) {
        // Static pod manifests are 0600 like kubeadm's; keepalived.conf carries the VRRP password.
        return path.equals(paths.haproxyManifest()) || path.equals(paths.keepalivedConfig()) ? 0600 : 0644;
    }
}
