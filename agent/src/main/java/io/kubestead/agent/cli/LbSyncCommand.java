package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.ClusterNodes;
import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.LbPaths;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.lb.NodeBalancer;
import io.kubestead.agent.lb.Vip;
import io.kubestead.agent.status.PurgeRecord;
import io.kubestead.agent.spec.LoadBalancer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "lb-sync", mixinStandardHelpOptions = true,
        header = "Point this node's load balancer at the current masters (run by a timer).",
        description = {"Reads the masters from the API and rewrites this node's HAProxy (or keepalived) configuration",
            "when they changed. On nodes with the internal balancer and on VIP masters, a systemd timer runs a",
            "shell check every 30 seconds (" + io.kubestead.agent.lb.LbSyncUnits.CHECK + ") that starts it only when the",
            "masters or this node's balancer files changed. While another command holds the host lock (an install, a",
            "join ...), it skips this round and exits 0. When the API cannot be asked, the configuration is left as it is."})
final class LbSyncCommand implements Callable<Integer> {
    private final CliEnvironment env;

    LbSyncCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Host host = env.realHost().apply(new ActionLog());
        // no waiting: the timer runs it again in 30 seconds, and an install or join rewrites the balancer itself
        try (HostSession session = HostSession.lock(env, host, "lb-sync", java.time.Duration.ZERO)) {
            return sync(host);
        } catch (io.kubestead.agent.host.HostLockBusyException e) {
            env.out().println("lb-sync skipped: " + e.holder().describe() + " holds the host lock; the timer runs it again");
            return 0;
        }
    }

    private int sync(Host host) {
        BalancerFile file = BalancerFile.read(host).orElseThrow(() -> new IllegalStateException(
                BalancerFile.PATH + " is missing: this node was not installed or joined by Kubestead"));
        List<Master> masters = masters(host);
        if (masters.isEmpty()) {
            env.err().println("kubestead: no masters from the API (unreachable, or no credentials); the balancer is left as it is");
            return ExitCodes.FAILURE;
        }
        if (file.localMaster().isPresent() && masters.stream().noneMatch(m -> m.name().equals(file.localMaster().get()))) {
            env.err().println(ExitCodes.line(removedMaster(host, file.localMaster().get())));
            return ExitCodes.FAILURE;
        }
        String vipInterface = file.loadBalancer().mode() == LoadBalancer.Mode.VIP
                ? Vip.detectInterface(host, file.loadBalancer().vip()).orElse(null) : null;
        LbSettings settings = LbSettings.of(file.loadBalancer(), file.clusterName(), file.stableName(), vipInterface, null);
        var change = new NodeBalancer(settings, LbPaths.standard()).apply(host, masters, file.localMaster());
        change.written().forEach(p -> env.out().println("updated " + p + " for masters " + masters));
        change.deleted().forEach(p -> env.out().println("removed " + p));
        return 0;
    }

    /**
     * This master is not among the cluster's masters: purged (the record says when and by whom; its etcd member is
     * gone, so its etcd cannot rejoin), or its Node removed otherwise. Its balancer is left alone: pointing it at the
     * others would only hide that this host must be reset and joined again.
     */
    static String removedMaster(Host host, String self) {
        String kubeconfig = host.exists("/etc/kubernetes/admin.conf") ? "/etc/kubernetes/admin.conf" : "/etc/kubernetes/kubelet.conf";
        var r = host.run("kubectl", "--kubeconfig", kubeconfig, "get", "configmap", "-n", PurgeRecord.NAMESPACE,
                PurgeRecord.NAME, "-o", "json");
        java.util.Optional<PurgeRecord.Entry> entry = java.util.Optional.empty();
        if (r.ok()) {
            try {
                entry = PurgeRecord.parse(self, new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout())
                        .path("data").path(self).asText(""));
            } catch (java.io.IOException e) {
                entry = java.util.Optional.empty();
            }
        }
        String what = entry.map(e -> "this master: " + e.sentence() + ", so its etcd cannot rejoin")
                .orElse("this master (" + self + ") is not among the cluster's masters (its Node is gone or is no longer a"
                        + " control-plane node)");
        return what + "; the balancer is left as it is. Run 'kubestead reset' on this host, then join it again with a"
                + " fresh command from 'kubestead join-script master' on a master";
    }

    /** The control-plane nodes with their internal addresses, asked with whatever credentials this node has. */
    static List<Master> masters(Host host) {
        String kubeconfig = host.exists("/etc/kubernetes/admin.conf") ? "/etc/kubernetes/admin.conf" : "/etc/kubernetes/kubelet.conf";
        return ClusterNodes.list(host, kubeconfig, true).stream().map(n -> new Master(n.name(), n.address())).sorted().toList();
    }
}
