package io.kubestead.agent.realcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.join.KubeApi;
import io.kubestead.agent.join.KubeApiException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * API objects a test posts on a {@link RealControlPlane} in place of the programs that would: Nodes and their
 * status as kubelets report them, a kubelet's Lease heartbeat, pods bound to a node as the scheduler binds them.
 */
public final class ClusterObjects {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
    private final KubeApi admin;
    private final String kubeletVersion;

    /** @param admin cluster-admin credentials (admin.conf) */
    public ClusterObjects(KubeApi admin, String kubeletVersion) {
        this.admin = admin;
        this.kubeletVersion = kubeletVersion;
    }

    /** A Node as its kubelet registers it and reports its status (created, then its status written). */
    public void postNode(String name, boolean controlPlaneNode, String address, String ready, Instant heartbeat,
                          Instant transition, String cpu, String memory) {
        ObjectNode node = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        ObjectNode labels = node.putObject("metadata").put("name", name).putObject("labels").put("kubernetes.io/hostname", name);
        if (controlPlaneNode) {
            labels.put(CONTROL_PLANE, "");
        }
        try {
            admin.create("/api/v1/nodes", node);
        } catch (KubeApiException e) {
            if (!e.conflict()) {
                throw e;
            }
        }
        // the node controllers write to a new Node at once (taints, CIDRs): re-read on a conflict, as a kubelet does
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = admin.get("/api/v1/nodes/" + name).orElseThrow();
            ObjectNode status = current.putObject("status");
            status.putObject("capacity").put("cpu", cpu).put("memory", memory).put("pods", "110");
            status.putObject("allocatable").put("cpu", cpu).put("memory", memory).put("pods", "110");
            status.putArray("addresses").addObject().put("type", "InternalIP").put("address", address);
            status.putObject("nodeInfo").put("kubeletVersion", kubeletVersion);
            status.putArray("conditions").addObject().put("type", "Ready").put("status", ready)
                    .put("reason", ready.equals("True") ? "KubeletReady" : "NodeStatusUnknown")
                    .put("lastHeartbeatTime", heartbeat.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                    .put("lastTransitionTime", transition.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            try {
                admin.update("/api/v1/nodes/" + name + "/status", current);
                return;
            } catch (KubeApiException e) {
                if (!e.conflict() || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** The kubelet's heartbeat: its Lease in kube-node-lease. */
    public void nodeLease(String name, Instant renewed) {
        ObjectNode lease = JSON.createObjectNode().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        lease.putObject("metadata").put("name", name).put("namespace", "kube-node-lease");
        lease.putObject("spec").put("holderIdentity", name).put("leaseDurationSeconds", 40)
                .put("renewTime", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
                        .withZone(java.time.ZoneOffset.UTC).format(renewed));
        admin.create("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease);
    }

    /** A pod bound to a node (as the scheduler binds it) with these requests; retried until the default ServiceAccount exists. */
    public void createPod(String name, String node, String cpu, String memory) throws Exception {
        ObjectNode pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = pod.putObject("spec").put("nodeName", node);
        spec.putArray("containers").addObject().put("name", "c").put("image", "registry.k8s.io/pause:3.10")
                .putObject("resources").putObject("requests").put("cpu", cpu).put("memory", memory);
        retry(() -> admin.create("/api/v1/namespaces/default/pods", pod));
    }

    public static <T> T retry(java.util.concurrent.Callable<T> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return call.call();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    public static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
