package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import java.io.IOException;
import java.util.Optional;

/**
 * A host that joined a cluster with {@code kubestead join}: its kubeadm join configuration is here, kubeadm's join
 * finished (the kubelet has its kubeconfig), and it is no first master (no install.json). Install must not make a
 * second cluster on it.
 */
public record JoinedHost(String nodeName, boolean master, String endpoint) {
    static final String INSTALL_JSON = "/etc/kubestead/install.json";
    static final String KUBELET_CONF = "/etc/kubernetes/kubelet.conf";
    /** Bounds the read: a join configuration is a few KiB. */
    private static final int MAX_CONFIG = 1 << 20;

    public static Optional<JoinedHost> detect(Host host) {
        if (host.exists(INSTALL_JSON) || !host.exists(KUBELET_CONF)) {
            return Optional.empty();
        }
        Optional<byte[]> config = host.readFile(KubeadmConfigRenderer.JOIN_CONFIG_PATH).filter(b -> b.length <= MAX_CONFIG);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        String name = "this host";
        String endpoint = "its API endpoint";
        boolean master = false;
        try (var docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).<JsonNode>readValues(config.get())) {
            while (docs.hasNext()) {
                JsonNode n = docs.next();
                if (n == null || !"JoinConfiguration".equals(n.path("kind").asText())) {
                    continue;
                }
                name = n.at("/nodeRegistration/name").asText(name);
                endpoint = n.at("/discovery/bootstrapToken/apiServerEndpoint").asText(endpoint);
                master = n.has("controlPlane");
            }
        } catch (IOException | RuntimeException e) {
            // a damaged file still marks a joined host; the words name it generically
        }
        return Optional.of(new JoinedHost(name, master, endpoint));
    }

    /** What install says instead of making a new cluster here. */
    public String installMessage() {
        return nodeName + " already joined the cluster at " + endpoint + " as a " + (master ? "master" : "worker")
                + "; install, which makes a cluster's first master, has nothing to do here and changed nothing."
                + " To change the cluster's settings, rerun install on its first master; to make this host a new"
                + " cluster, run 'kubestead reset' first.";
    }
}
