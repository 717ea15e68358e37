package io.kubestead.agent.spec;

import java.util.List;

/** The words of {@code kubestead set-endpoint}: how this node reaches the API servers after the endpoint moved. */
public final class EndpointWords {
    private EndpointWords() {
    }

    public static final List<WordDef> ALL = List.of(
            WordDef.value("endpoint", "HOST:PORT", "the cluster's new API endpoint"),
            WordDef.value("endpoint-address", "IP", "what the endpoint's name resolves to, through /etc/hosts"),
            WordDef.value("load-balancer", "MODE", "none, external, internal or vip"),
            WordDef.value("masters", "IP,...", "every master's address"),
            WordDef.value("internal-load-balancer-port", "PORT", "loopback port of the internal load balancer"),
            WordDef.value("cluster-name", "NAME", "the cluster's name (default kubernetes)"),
            WordDef.value("private-address", "IP", "this node's address (default: the host's primary address)"),
            WordDef.optionalValue("dry-run", "DIR", "write everything under DIR instead of the host"));

    /** The join words that also describe an endpoint, so set-endpoint reuses the join parser's checks. */
    public static List<String> asJoinWords(List<String> words) {
        List<String> out = new java.util.ArrayList<>(words);
        // placeholders the join parser requires; set-endpoint never uses them
        out.add("token=000000.0000000000000000");
        out.add("ca-hash=sha256:" + "0".repeat(64));
        out.add("kubernetes-version=1." + io.kubestead.agent.version.KubernetesVersion.MAX_MINOR);
        out.add("node-name=set-endpoint");
        return out;
    }
}
