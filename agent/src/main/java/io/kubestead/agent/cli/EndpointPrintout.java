package io.kubestead.agent.cli;

import io.kubestead.agent.host.Host;
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
        List<String> masters = names(host, List.of("-l", "node-role.kubernetes.io/control-plane"));
        List<String[]> out = new ArrayList<>();
        for (String line : lines(host, List.of())) {
            String[] f = line.split(" ");
            if (f.length == 2) {
                out.add(new String[] {f[0], f[1], masters.contains(f[0]) ? "master" : "worker"});
            }
        }
        return out;
    }

    private static List<String> names(Host host, List<String> selector) {
        return lines(host, selector).stream().map(l -> l.split(" ")[0]).toList();
    }

    private static List<String> lines(Host host, List<String> selector) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", Kubeadm.ADMIN_KUBECONFIG, "get", "nodes"));
        argv.addAll(selector);
        argv.addAll(List.of("-o", "jsonpath={range .items[*]}{.metadata.name} "
                + "{.status.addresses[?(@.type==\"InternalIP\")].address}{\"\\n\"}{end}"));
        var r = host.run(io.kubestead.agent.host.Command.of(argv));
        return r.ok() ? r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList() : List.of();
    }
}
