package io.kubestead.agent.lb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The static pod {@code kube-system/haproxy} that runs the local balancer once kubelet runs. The configuration's
 * SHA-256 is an annotation, so a changed configuration changes the manifest and kubelet restarts the pod.
 */
public final class HaproxyManifest {
    public static final String HASH_ANNOTATION = "kubestead.io/haproxy-config-sha256";
    private static final String CONTAINER_DIR = "/usr/local/etc/haproxy";

    private HaproxyManifest() {
    }

    public static String render(String image, String haproxyDir, String configText) {
        Map<String, Object> metadata = map(
                "name", "haproxy",
                "namespace", "kube-system",
                "labels", map("component", "kubestead-haproxy", "tier", "control-plane"),
                "annotations", map(HASH_ANNOTATION, sha256(configText)));
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

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
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
