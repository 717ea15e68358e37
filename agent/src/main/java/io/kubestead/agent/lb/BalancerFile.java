package io.kubestead.agent.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.LoadBalancer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * This node's balancer choice, kept at /etc/kubestead/balancer.json so that {@code kubestead lb-sync} can redo the
 * node's balancer files from the current list of masters without the install or join words.
 */
public record BalancerFile(LoadBalancer loadBalancer, String clusterName, String stableName, Optional<String> localMaster) {
    public static final String PATH = "/etc/kubestead/balancer.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Host host) {
        host.writeFile(PATH, render().getBytes(java.nio.charset.StandardCharsets.UTF_8), 0644);
    }

    /** Whether the host already records this choice. */
    public boolean recorded(Host host) {
        return host.readString(PATH).map(render()::equals).orElse(false);
    }

    String render() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", loadBalancer.mode().name().toLowerCase());
        m.put("external", loadBalancer.externalAddress().map(HostPort::toString).orElse(null));
        m.put("internalPort", loadBalancer.internalPort());
        m.put("vip", loadBalancer.vip());
        m.put("clusterName", clusterName);
        m.put("stableName", stableName);
        m.put("localMaster", localMaster.orElse(null));
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<BalancerFile> read(Host host) {
        return host.readFile(PATH).map(bytes -> {
            try {
                JsonNode n = JSON.readTree(bytes);
                LoadBalancer.Mode mode = LoadBalancer.Mode.valueOf(n.get("mode").asText().toUpperCase());
                HostPort external = n.get("external").isNull() ? null : HostPort.parse(n.get("external").asText(), 6443);
                String vip = n.get("vip").isNull() ? null : n.get("vip").asText();
                return new BalancerFile(new LoadBalancer(mode, external, n.get("internalPort").asInt(), vip, "recorded"),
                        n.get("clusterName").asText(), n.get("stableName").asText(),
                        n.get("localMaster").isNull() ? Optional.empty() : Optional.of(n.get("localMaster").asText()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(PATH + " cannot be read (" + e.getMessage() + "); rerun install or join");
            }
        });
    }

    /** Whether this node's balancer depends on the list of masters (and so needs lb-sync). */
    public boolean followsMasters() {
        return loadBalancer.mode() == LoadBalancer.Mode.INTERNAL
                || loadBalancer.mode() == LoadBalancer.Mode.VIP && localMaster.isPresent();
    }
}
