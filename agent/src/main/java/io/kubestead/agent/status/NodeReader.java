package io.kubestead.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the API's node list and pod list (JSON as the API server sends them) into {@link NodeStatus}es: each node's
 * Ready condition, taints and allocatable, and the requests of the pods bound to it that still hold them (neither
 * Succeeded nor Failed), counted as the scheduler counts them.
 */
public final class NodeReader {
    private NodeReader() {
    }

    public static List<NodeStatus> read(JsonNode nodeList, JsonNode podList) {
        Map<String, Resources> requested = new HashMap<>();
        Map<String, Integer> workloads = new HashMap<>();
        for (JsonNode pod : podList.path("items")) {
            String node = pod.path("spec").path("nodeName").asText("");
            String phase = pod.path("status").path("phase").asText("");
            if (node.isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
                continue;
            }
            requested.merge(node, requests(pod.path("spec")), Resources::plus);
            if (workload(pod)) {
                workloads.merge(node, 1, Integer::sum);
            }
        }
        List<NodeStatus> out = new ArrayList<>();
        for (JsonNode n : nodeList.path("items")) {
            out.add(node(n, requested.getOrDefault(name(n), Resources.NONE), workloads.getOrDefault(name(n), 0)));
        }
        out.sort(Comparator.comparing(NodeStatus::name));
        return out;
    }

    /** One Node object (its own report through the kubelet, and the node controller's verdict). */
    public static NodeStatus node(JsonNode n, Resources requested, int workloadPods) {
        JsonNode meta = n.path("metadata");
        JsonNode status = n.path("status");
        NodeStatus.Role role = meta.path("labels").has(NodeStatus.CONTROL_PLANE_LABEL) ? NodeStatus.Role.MASTER
                : NodeStatus.Role.WORKER;
        JsonNode ready = null;
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                ready = c;
            }
        }
        NodeStatus.Readiness readiness = ready == null ? NodeStatus.Readiness.UNKNOWN
                : switch (ready.path("status").asText()) {
                    case "True" -> NodeStatus.Readiness.READY;
                    case "False" -> NodeStatus.Readiness.NOT_READY;
                    default -> NodeStatus.Readiness.UNKNOWN;
                };
        List<String> taints = new ArrayList<>();
        for (JsonNode t : n.path("spec").path("taints")) {
            String value = t.path("value").asText("");
            taints.add(t.path("key").asText() + (value.isEmpty() ? "" : "=" + value) + ":" + t.path("effect").asText());
        }
        Optional<String> address = Optional.empty();
        for (JsonNode a : status.path("addresses")) {
            if (a.path("type").asText().equals("InternalIP") && address.isEmpty()) {
                address = Optional.of(a.path("address").asText());
            }
        }
        JsonNode alloc = status.path("allocatable");
        return new NodeStatus(name(n), role, readiness,
                ready == null ? Optional.empty() : time(ready.path("lastTransitionTime")),
                ready == null ? Optional.empty() : time(ready.path("lastHeartbeatTime")),
                status.path("nodeInfo").path("kubeletVersion").asText(""), taints,
                time(meta.path("creationTimestamp")).orElse(Instant.EPOCH), address,
                new Resources(Quantity.millis(alloc.path("cpu").asText("0")), Quantity.bytes(alloc.path("memory").asText("0"))),
                requested, workloadPods);
    }

    private static String name(JsonNode n) {
        return n.path("metadata").path("name").asText();
    }

    /** The sum over the app containers, or the largest init container where that is more (the scheduler's rule). */
    static Resources requests(JsonNode podSpec) {
        Resources sum = Resources.NONE;
        for (JsonNode c : podSpec.path("containers")) {
            sum = sum.plus(request(c));
        }
        for (JsonNode c : podSpec.path("initContainers")) {
            sum = sum.max(request(c));
        }
        JsonNode overhead = podSpec.path("overhead");
        return sum.plus(new Resources(Quantity.millis(overhead.path("cpu").asText("0")),
                Quantity.bytes(overhead.path("memory").asText("0"))));
    }

    private static Resources request(JsonNode container) {
        JsonNode r = container.path("resources").path("requests");
        return new Resources(Quantity.millis(r.path("cpu").asText("0")), Quantity.bytes(r.path("memory").asText("0")));
    }

    /** Not a DaemonSet's pod, not a static pod's mirror, not in kube-system: what the user runs. */
    private static boolean workload(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        if (meta.path("namespace").asText().equals("kube-system") || meta.path("annotations").has("kubernetes.io/config.mirror")) {
            return false;
        }
        for (JsonNode owner : meta.path("ownerReferences")) {
            if (owner.path("kind").asText().equals("DaemonSet")) {
                return false;
            }
        }
        return true;
    }

    static Optional<Instant> time(JsonNode n) {
        if (!n.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(n.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
