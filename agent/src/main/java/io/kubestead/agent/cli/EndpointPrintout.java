package io.kubestead.agent.cli;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.ClusterNodes;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.LoadBalancer;
import java.util.ArrayList;
import java.util.List;

/**
 * After a rerun that moved the API endpoint: which hosts are updated (this one) and which still need a step, with
 * the one command for each, since this host cannot reach into the others.
 */
final class EndpointPrintout {
    private final CliEnvironment env;

    EndpointPrintout(CliEnvironment env) {
        this.env = env;
    }

    void print(Host host, InstallSpec before, InstallSpec after) {
        env.out().println();
        env.out().println("The API endpoint moved: " + before.controlPlaneEndpoint() + " (" + before.loadBalancer().mode()
                .name().toLowerCase() + ") -> " + after.controlPlaneEndpoint() + " (" + after.loadBalancer().mode().name()
                .toLowerCase() + ").");
        env.out().println("Updated: " + after.nodeName() + " (certificates, kubeconfigs, /etc/hosts, load balancer,"
                + " the cluster's kubeadm-config, cluster-info and kube-proxy settings, join scripts).");
        List<String[]> nodes = nodes(host);
        List<String> masters = nodes.stream().filter(n -> n[2].equals("master")).map(n -> n[1]).sorted().toList();
        String words = words(after, masters.isEmpty() ? List.of(after.privateAddress()) : masters);
        List<String[]> others = nodes.stream().filter(n -> !n[0].equals(after.nodeName())).toList();
        if (others.isEmpty()) {
            env.out().println("Still to do on every other node, as root:");
            env.out().println("  /opt/kubestead/bin/kubestead set-endpoint " + words);
            return;
        }
        env.out().println("Still to do, as root on each of these nodes:");
        for (String[] n : others) {
            env.out().println("  " + n[0] + " (" + n[2] + ", " + n[1] + "): /opt/kubestead/bin/kubestead set-endpoint " + words);
        }
        if (after.loadBalancer().mode() == LoadBalancer.Mode.EXTERNAL) {
            env.out().println("Then put every master's address:6443 behind " + after.loadBalancer().external() + ".");
        }
    }

    static String words(InstallSpec spec, List<String> masters) {
        List<String> w = new ArrayList<>();
        w.add("endpoint=" + spec.controlPlaneEndpoint());
        w.add("load-balancer=" + spec.loadBalancer().mode().name().toLowerCase());
        if (spec.apiNameTarget() != null && spec.loadBalancer().mode() != LoadBalancer.Mode.INTERNAL) {
            w.add("endpoint-address=" + spec.apiNameTarget());
        }
        w.add("masters=" + String.join(",", masters));
        if (!spec.clusterName().equals("kubernetes")) {
            w.add("cluster-name=" + spec.clusterName());
        }
        return String.join(" ", w);
    }

    /** Name, internal IP and role of every node, from the API (empty when it cannot be asked). */
    private static List<String[]> nodes(Host host) {
        List<String> masters = ClusterNodes.list(host, Kubeadm.ADMIN_KUBECONFIG, true).stream()
                .map(ClusterNodes.Node::name).toList();
        return ClusterNodes.list(host, Kubeadm.ADMIN_KUBECONFIG, false).stream()
                .map(n -> new String[] {n.name(), n.address(), masters.contains(n.name()) ? "master" : "worker"})
                .toList();
    }
}
