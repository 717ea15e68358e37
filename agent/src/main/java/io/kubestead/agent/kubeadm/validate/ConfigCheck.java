package io.kubestead.agent.kubeadm.validate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outcome of validating a kubeadm configuration file: its documents and every violation found. */
public record ConfigCheck(List<Map<String, Object>> documents, List<String> errors) {
    public ConfigCheck {
        documents = List.copyOf(documents);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** The first document of a kind, e.g. {@code ClusterConfiguration}. */
    public Optional<Map<String, Object>> document(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst();
    }
}
