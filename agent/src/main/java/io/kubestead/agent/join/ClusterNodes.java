package io.kubestead.agent.join;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.Host;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's nodes with their internal addresses, asked with kubectl through a host: what join commands,
 * the balancers' backends and the endpoint-move instructions are made from.
 */
public final class ClusterNodes {
    private static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

    /** A node's name and InternalIP. */
    public record Node(String name, String address) {
    }

    private ClusterNodes() {
    }

    /** The kubectl command line that lists them, one "name address" line each (lb-sync's check runs it too). */
    public static List<String> argv(String kubeconfig, boolean mastersOnly) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig, "get", "nodes"));
        if (mastersOnly) {
            argv.addAll(List.of("-l", CONTROL_PLANE));
        }
        argv.addAll(List.of("-o", "jsonpath={range .items[*]}{.metadata.name} "
                + "{.status.addresses[?(@.type==\"InternalIP\")].address}{\"\\n\"}{end}"));
        return List.copyOf(argv);
    }

    /**
     * The nodes, sorted by name; only the control-plane nodes if {@code mastersOnly}. Empty when the API cannot be
     * asked (callers keep what they had).
     */
    public static List<Node> list(Host host, String kubeconfig, boolean mastersOnly) {
        var r = host.run(Command.of(argv(kubeconfig, mastersOnly)));
        List<Node> out = new ArrayList<>();
        if (!r.ok()) {
            return out;
        }
        for (String line : r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] f = line.split(" ");
            if (f.length == 2) {
                out.add(new Node(f[0], f[1]));
            }
        }
        out.sort(java.util.Comparator.comparing(Node::name));
        return out;
    }
}
