package io.kubestead.agent.reset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubestead.agent.host.Host;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The node a reset removes: its name (as kubeadm registered it, which is also its etcd member name) and whether
 * it runs a control plane. Read from the host, because reset takes no install words.
 */
public record ResetTarget(String nodeName, boolean master, boolean kubernetes) {
    public static final List<String> CONTROL_PLANE_MANIFESTS = List.of("/etc/kubernetes/manifests/kube-apiserver.yaml",
            "/etc/kubernetes/manifests/etcd.yaml");
    public static final String INSTALL_JSON = "/etc/kubestead/install.json";
    public static final String JOIN_CONFIG = "/etc/kubestead/kubeadm-join.yaml";
    public static final String INIT_CONFIG = "/etc/kubestead/kubeadm-init.yaml";

    /**
     * @param override the name given with {@code node-name=}, if any
     * @param hostName this machine's host name, the last resort (kubeadm's default node name too)
     */
    public static ResetTarget detect(Host host, Optional<String> override, String hostName) {
        boolean master = CONTROL_PLANE_MANIFESTS.stream().anyMatch(host::exists);
        String name = override
                .or(() -> read(host, INSTALL_JSON).flatMap(b -> field(b, false, "nodeName")))
                .or(() -> read(host, JOIN_CONFIG).flatMap(b -> field(b, true, "nodeRegistration", "name")))
                .or(() -> read(host, INIT_CONFIG).flatMap(b -> field(b, true, "nodeRegistration", "name")))
                .orElse(hostName.toLowerCase(Locale.ROOT));
        return new ResetTarget(name, master, KubeadmTraces.present(host));
    }

    /** A dry-run without root may not read the 0600 kubeadm configurations; the next source decides then. */
    private static Optional<byte[]> read(Host host, String path) {
        try {
            return host.readFile(path);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first document holding the field, in JSON or (multi-document) YAML; empty when unreadable. */
    private static Optional<String> field(byte[] text, boolean yaml, String... path) {
        ObjectMapper mapper = yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        try (var docs = mapper.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            while (docs.hasNext()) {
                JsonNode n = docs.next();
                for (String p : path) {
                    n = n == null ? null : n.get(p);
                }
                if (n != null && n.isTextual() && !n.asText().isBlank()) {
                    return Optional.of(n.asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a damaged file names nobody; the next source decides
        }
        return Optional.empty();
    }
}
