package io.kubestead.agent.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.join.KubeApi;
import java.time.Duration;
import java.util.Optional;

/**
 * The cluster's {@code purge-after}, kept in the ConfigMap {@code kube-system/kubestead-node-purge} (key
 * {@code purgeAfterSeconds}, 0 for off) so that every master's timer, joined ones too, reads the one setting the
 * first master's install words chose.
 */
public final class PurgeSettings {
    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "kubestead-node-purge";
    public static final String KEY = "purgeAfterSeconds";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PurgeSettings() {
    }

    /** The ConfigMap as install applies it (kubectl apply -f). */
    public static String manifest(Duration purgeAfter) {
        ObjectNode cm = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
        cm.putObject("data").put(KEY, Long.toString(purgeAfter.toSeconds()));
        return cm.toPrettyString() + "\n";
    }

    /** The setting; off when the ConfigMap is missing or unreadable (nothing is purged by surprise). */
    public static Duration read(KubeApi api) {
        Optional<ObjectNode> cm = api.get("/api/v1/namespaces/" + NAMESPACE + "/configmaps/" + NAME);
        String v = cm.map(c -> c.path("data").path(KEY).asText("0")).orElse("0");
        return v.matches("[0-9]{1,9}") ? Duration.ofSeconds(Long.parseLong(v)) : Duration.ZERO;
    }
}
