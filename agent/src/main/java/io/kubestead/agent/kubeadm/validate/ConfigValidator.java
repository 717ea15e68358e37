package io.kubestead.agent.kubeadm.validate;

import io.kubestead.agent.kubeadm.KubeadmApi;
import io.kubestead.agent.kubeadm.YamlDocuments;
import io.kubestead.agent.version.KubernetesVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a kubeadm configuration file the way kubeadm of a given version reads it, but strictly: an unknown field
 * (which kubeadm only warns about and then ignores) is an error here, because a misplaced field means the setting
 * silently does not apply. The agent can use it to self-check what it wrote; tests use it through the stand-in.
 */
public final class ConfigValidator {
    /** The command reading the file decides which kinds belong in it. */
    public enum Purpose {
        INIT(Set.of("InitConfiguration", "ClusterConfiguration", "KubeletConfiguration", "KubeProxyConfiguration")),
        JOIN(Set.of("JoinConfiguration")),
        RESET(Set.of("ResetConfiguration"));

        private final Set<String> kinds;

        Purpose(Set<String> kinds) {
            this.kinds = kinds;
        }
    }

    private final KubernetesVersion kubeadmVersion;
    private final YamlDocuments yaml = new YamlDocuments();

    public ConfigValidator(KubernetesVersion kubeadmVersion) {
        this.kubeadmVersion = kubeadmVersion;
    }

    public ConfigCheck validate(String text, Purpose purpose) {
        List<Map<String, Object>> docs;
        try {
            docs = yaml.read(text);
        } catch (IllegalArgumentException e) {
            return new ConfigCheck(List.of(), List.of(e.getMessage()));
        }
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < docs.size(); i++) {
            Map<String, Object> doc = docs.get(i);
            String where = "document " + (i + 1);
            Object apiVersion = doc.get("apiVersion");
            Object kind = doc.get("kind");
            if (!(apiVersion instanceof String) || !(kind instanceof String)) {
                errors.add(where + ": apiVersion and kind must be set");
                continue;
            }
            Shape schema = schema((String) apiVersion, (String) kind, where, errors);
            if (schema == null) {
                continue;
            }
            if (!seen.add((String) kind)) {
                errors.add(where + ": a second " + kind + " document");
            }
            if (!purpose.kinds.contains(kind)) {
                errors.add(where + ": " + kind + " does not belong in a file for kubeadm "
                        + purpose.name().toLowerCase(java.util.Locale.ROOT) + " (expected " + purpose.kinds + ")");
            }
            List<String> found = new ArrayList<>();
            schema.check(doc, "", found);
            new SemanticChecks(kubeadmVersion, found).check((String) kind, doc);
            found.forEach(e -> errors.add(kind + ": " + e));
        }
        if (!errors.isEmpty()) {
            return new ConfigCheck(docs, errors);
        }
        if (purpose == Purpose.JOIN && !seen.contains("JoinConfiguration")) {
            errors.add("no JoinConfiguration document in the file");
        }
        if (purpose == Purpose.INIT && !seen.contains("InitConfiguration") && !seen.contains("ClusterConfiguration")) {
            errors.add("no InitConfiguration or ClusterConfiguration document in the file");
        }
        return new ConfigCheck(docs, errors);
    }

    private Shape schema(String apiVersion, String kind, String where, List<String> errors) {
        if (apiVersion.equals(KubeadmApi.KUBELET_API) && kind.equals("KubeletConfiguration")) {
            return ComponentSchemas.kubelet();
        }
        if (apiVersion.equals(KubeadmApi.KUBE_PROXY_API) && kind.equals("KubeProxyConfiguration")) {
            return ComponentSchemas.kubeProxy();
        }
        KubeadmApi api = KubeadmApi.ofApiVersion(apiVersion);
        if (api == null) {
            errors.add(where + ": no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
            return null;
        }
        if (!api.acceptedBy(kubeadmVersion)) {
            errors.add(where + ": apiVersion " + apiVersion + " is not accepted by kubeadm v" + kubeadmVersion
                    + " (v1beta3: 1.22-1.36, v1beta4: 1.31 and later)");
            return null;
        }
        Shape schema = KubeadmSchemas.kinds(api).get(kind);
        if (schema == null) {
            errors.add(where + ": no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
        }
        return schema;
    }
}
