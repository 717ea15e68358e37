package io.kubestead.agent.kubeadm;

import io.kubestead.agent.version.KubernetesVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pieces shared by the init and join documents, in the form each API version wants. */
final class ConfigFields {
    static final String CRI_SOCKET = "unix:///var/run/containerd/containerd.sock";
    static final int BIND_PORT = 6443;

    private ConfigFields() {
    }

    /** v1beta4: list of {name, value}; v1beta3: map name -> value. Input order is kept. */
    static Object extraArgs(KubeadmApi api, Map<String, String> args) {
        if (!api.listExtraArgs()) {
            return new LinkedHashMap<>(args);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        args.forEach((name, value) -> list.add(map("name", name, "value", value)));
        return list;
    }

    /** The control-plane taint(s) kubeadm itself would apply for this version (kubeadm.md section 5). */
    static List<Map<String, Object>> controlPlaneTaints(KubernetesVersion version) {
        List<Map<String, Object>> taints = new ArrayList<>();
        if (!version.atLeast(25)) {
            taints.add(map("key", "node-role.kubernetes.io/master", "effect", "NoSchedule"));
        }
        if (version.atLeast(24)) {
            taints.add(map("key", "node-role.kubernetes.io/control-plane", "effect", "NoSchedule"));
        }
        return taints;
    }

    /**
     * nodeRegistration. {@code taints}: null leaves the field out (workers), otherwise written even when empty,
     * because kubeadm reads an absent list as "taint control-plane nodes" and {@code []} as "no taints".
     */
    static Map<String, Object> nodeRegistration(KubeadmApi api, NodeSettings node, List<Map<String, Object>> taints) {
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("name", node.name());
        reg.put("criSocket", CRI_SOCKET);
        if (taints != null) {
            reg.put("taints", taints);
        }
        reg.put("kubeletExtraArgs", extraArgs(api, Map.of("node-ip", node.privateAddress())));
        if (node.keepCgroupV1()) {
            // kubeadm's cgroup validator fails on cgroup v1 for kubelet 1.35+ whatever the kubelet is told
            reg.put("ignorePreflightErrors", List.of("SystemVerification"));
        }
        return reg;
    }

    static Map<String, Object> apiEndpoint(String advertiseAddress) {
        return map("advertiseAddress", advertiseAddress, "bindPort", BIND_PORT);
    }

    /** Go's time.Duration text, as kubeadm prints it: 24h0m0s, 5m0s, 30s. */
    static String goDuration(Duration d) {
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        return m > 0 ? m + "m" + s + "s" : s + "s";
    }

    static Map<String, Object> document(String apiVersion, String kind) {
        return map("apiVersion", apiVersion, "kind", kind);
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
