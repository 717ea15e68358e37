package io.kubestead.agent.kubeadm.standin;

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
        return document(kind).map(d -> get(d, dottedPath)).orElse(null);
    }

    /** A value inside a parsed document by dotted path; null where the path leaves the maps. */
    static Object get(Map<String, Object> doc, String dottedPath) {
        Object cur = doc;
        for (String part : dottedPath.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    public boolean has(String flag) {
        return flags.containsKey(flag);
    }
}
