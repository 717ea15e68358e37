package io.kubestead.agent.kubeadm.validate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kubeadm call the stand-in accepted: the argv, the parsed command line, and the documents of the --config file
 * (empty without --config) with the file's mode as found.
 */
public record KubeadmCall(List<String> argv, String command, Map<String, List<String>> flags,
                          List<String> positionals, String configPath, Integer configMode,
                          List<Map<String, Object>> documents) {

    public Optional<Map<String, Object>> document(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst();
    }

    /** A field of a document by dotted path, e.g. {@code ("ClusterConfiguration", "networking.podSubnet")}. */
    public Object field(String kind, String dottedPath) {
        return document(kind).map(d -> SemanticChecks.get(d, dottedPath)).orElse(null);
    }

    public boolean has(String flag) {
        return flags.containsKey(flag);
    }
}
