package io.kubestead.agent.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.join.KubeApi;
import io.kubestead.agent.join.KubeApiException;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The purged nodes (written by {@code kubestead node purge}, read by status and by lb-sync on a master that comes
 * back), kept in the ConfigMap {@code kube-system/kubestead-purged-nodes} (one key per node name, a JSON
 * value: when, by whom, its address and etcd member), so a master that comes back can be told what happened to it
 * and what to do.
 */
public final class PurgeRecord {
    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "kubestead-purged-nodes";
    static final String COLLECTION = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    static final String PATH = COLLECTION + "/" + NAME;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One purge: what a returning node is told. */
    public record Entry(String node, Instant purgedAt, String by, String address, String etcdMember) {
        public String sentence() {
            return node + " was purged from the cluster at " + purgedAt + " (" + by + ")"
                    + (etcdMember.isEmpty() ? "" : ": its etcd member " + etcdMember + " was removed")
                    + " and its Node deleted";
        }
    }

    private PurgeRecord() {
    }

    public static void add(KubeApi api, Entry entry) {
        ObjectNode value = JSON.createObjectNode().put("purgedAt", entry.purgedAt().toString()).put("by", entry.by())
                .put("address", entry.address()).put("etcdMember", entry.etcdMember());
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> current = api.get(PATH);
            try {
                if (current.isEmpty()) {
                    ObjectNode cm = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
                    cm.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
                    cm.putObject("data").put(entry.node(), value.toString());
                    api.create(COLLECTION, cm);
                } else {
                    ObjectNode cm = current.get();
                    (cm.get("data") instanceof ObjectNode d ? d : cm.putObject("data")).put(entry.node(), value.toString());
                    api.update(PATH, cm);
                }
                return;
            } catch (KubeApiException e) {
                if (!e.conflict() || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** Every recorded purge; empty when nothing was ever purged. */
    public static java.util.List<Entry> all(KubeApi api) {
        java.util.List<Entry> out = new java.util.ArrayList<>();
        api.get(PATH).ifPresent(cm -> cm.path("data").fields().forEachRemaining(e ->
                parse(e.getKey(), e.getValue().asText("")).ifPresent(out::add)));
        return out;
    }

    public static Optional<Entry> find(KubeApi api, String node) {
        return api.get(PATH).flatMap(cm -> parse(node, cm.path("data").path(node).asText("")));
    }

    /** The entry for {@code node} from its JSON value in the ConfigMap (as kubectl's jsonpath prints it). */
    public static Optional<Entry> parse(String node, String value) {
        if (value.isBlank()) {
            return Optional.empty();
        }
        try {
            var v = JSON.readTree(value);
            return Optional.of(new Entry(node, Instant.parse(v.path("purgedAt").asText()), v.path("by").asText(""),
                    v.path("address").asText(""), v.path("etcdMember").asText("")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
