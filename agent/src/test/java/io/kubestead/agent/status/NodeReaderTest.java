package io.kubestead.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeReaderTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void quantitiesAsTheApiWritesThem() {
        assertEquals(250, Quantity.millis("250m"));
        assertEquals(2000, Quantity.millis("2"));
        assertEquals(500, Quantity.millis("0.5"));
        assertEquals(2, Quantity.millis("1500u"));
        assertEquals(128L << 20, Quantity.bytes("128Mi"));
        assertEquals(1_000_000_000L, Quantity.bytes("1G"));
        assertEquals(1000, Quantity.bytes("1e3"));
        assertEquals(3_951_588L * 1024, Quantity.bytes("3951588Ki"));
        assertEquals(0, Quantity.bytes("nonsense"));
    }

    @Test
    void aNodeWithItsPodsRequests() throws Exception {
        JsonNode nodes = JSON.readTree("""
                {"items": [{"metadata": {"name": "w1", "creationTimestamp": "2026-12-01T10:00:00Z", "labels": {}},
                  "spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]},
                  "status": {"allocatable": {"cpu": "2", "memory": "4Gi"},
                    "addresses": [{"type": "Hostname", "address": "w1"}, {"type": "InternalIP", "address": "10.0.0.7"}],
                    "nodeInfo": {"kubeletVersion": "v1.34.4"},
                    "conditions": [{"type": "Ready", "status": "Unknown", "lastHeartbeatTime": "2026-12-02T09:00:00Z",
                      "lastTransitionTime": "2026-12-02T09:00:40Z"}]}},
                 {"metadata": {"name": "m1", "creationTimestamp": "2026-12-01T09:00:00Z",
                   "labels": {"node-role.kubernetes.io/control-plane": ""}},
                  "status": {"conditions": [{"type": "Ready", "status": "True"}]}}]}
                """);
        JsonNode pods = JSON.readTree("""
                {"items": [
                 {"metadata": {"namespace": "default"}, "spec": {"nodeName": "w1", "containers": [
                   {"resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}, {"resources": {"requests": {"cpu": "250m"}}}],
                   "initContainers": [{"resources": {"requests": {"cpu": "1", "memory": "100Mi"}}}]}, "status": {"phase": "Running"}},
                 {"metadata": {"namespace": "default"}, "spec": {"nodeName": "w1", "containers": [
                   {"resources": {"requests": {"cpu": "3"}}}]}, "status": {"phase": "Succeeded"}},
                 {"metadata": {"namespace": "default", "ownerReferences": [{"kind": "DaemonSet"}]}, "spec": {"nodeName": "w1",
                   "containers": [{"resources": {"requests": {"memory": "1Gi"}}}]}, "status": {"phase": "Running"}},
                 {"metadata": {"namespace": "kube-system"}, "spec": {"nodeName": "m1", "containers": []}, "status": {"phase": "Running"}}]}
                """);
        List<NodeStatus> read = NodeReader.read(nodes, pods);
        assertEquals(List.of("m1", "w1"), read.stream().map(NodeStatus::name).toList());
        NodeStatus m1 = read.get(0);
        assertEquals(NodeStatus.Role.MASTER, m1.role());
        assertEquals(0, m1.workloadPods());
        NodeStatus w1 = read.get(1);
        assertEquals(NodeStatus.Role.WORKER, w1.role());
        assertEquals(NodeStatus.Readiness.UNKNOWN, w1.ready());
        assertEquals(Optional.of(Instant.parse("2026-12-02T09:00:00Z")), w1.lastHeartbeat());
        assertEquals(List.of("dedicated=db:NoSchedule"), w1.taints());
        assertEquals(Optional.of("10.0.0.7"), w1.address());
        assertEquals(new Resources(2000, 4L << 30), w1.allocatable());
        // init container's 1 CPU beats the app containers' 750m; memory 1Gi + the DaemonSet's 1Gi; the finished pod not at all
        assertEquals(new Resources(1000, 2L << 30), w1.requested());
        assertEquals(1, w1.workloadPods());
        assertEquals("v1.34.4", w1.kubeletVersion());
    }
}
