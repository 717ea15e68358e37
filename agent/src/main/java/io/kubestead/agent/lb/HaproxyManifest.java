package io.kubestead.agent.lb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The static pod {@code kube-system/haproxy} that runs the local balancer once kubelet runs. The manifest does not
 * follow the configuration: a changed configuration reaches the running HAProxy as a reload ({@link #RELOAD}), which
 * keeps its listening socket, where a changed manifest made kubelet restart the pod and the node's API port refused
 * connections meanwhile (seen in the node lab when a master left).
 */
public final class HaproxyManifest {
    /** Where the pod sees the configuration directory; a path no other HAProxy uses, so {@link #RELOAD} finds ours. */
    static final String CONTAINER_DIR = "/etc/kubestead-haproxy";
    /**
     * Reloads the pod's HAProxy: SIGUSR2 to its master process (master-worker mode), the oldest process with its
     * command line (a reload re-executes the master with more arguments, under the same pid; workers are younger).
     * pkill exits 1 when none runs: kubelet then starts it with the new configuration.
     */
    public static final List<String> RELOAD = List.of("pkill", "--signal", "USR2", "--oldest", "--full",
            "^haproxy -W -db -f " + CONTAINER_DIR.replace(".", "\\.") + "/haproxy\\.cfg( |$)");

    private HaproxyManifest() {
    }

    public static String render(String image, String haproxyDir) {
        Map<String, Object> metadata = map(
                "name", "haproxy",
                "namespace", "kube-system",
                "labels", map("component", "kubestead-haproxy", "tier", "control-plane"));
        Map<String, Object> container = map(
                "name", "haproxy",
                "image", image,
                "imagePullPolicy", "IfNotPresent",
                // -W master-worker, -db stay in the foreground: the usual way to run haproxy in a container.
                "command", List.of("haproxy", "-W", "-db", "-f", CONTAINER_DIR + "/haproxy.cfg"),
                // The image's own unprivileged user is enough for a port above 1024.
                "securityContext", map("allowPrivilegeEscalation", false),
                "resources", map("requests", map("cpu", "25m", "memory", "32Mi")),
                "volumeMounts", List.of(map("name", "config", "mountPath", CONTAINER_DIR, "readOnly", true)));
        Map<String, Object> spec = map(
                "hostNetwork", true,
                "priorityClassName", "system-node-critical",
                "containers", List.of(container),
                "volumes", List.of(map("name", "config",
                        "hostPath", map("path", haproxyDir, "type", "DirectoryOrCreate"))));
        Map<String, Object> pod = map("apiVersion", "v1", "kind", "Pod", "metadata", metadata, "spec", spec);
        YAMLMapper yaml = new YAMLMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
        try {
            return "# Kubestead local API balancer. Generated.\n" + yaml.writeValueAsString(pod);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
