package io.kubestead.agent.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubestead status -o json}: the {@link ClusterStatus} with field names spelled out here (not derived from
 * the records), so scripts can rely on them; times are RFC 3339, sizes bytes, CPU millicores, ages seconds.
 */
public final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    public static String render(ClusterStatus s) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree(s)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode tree(ClusterStatus s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "KubesteadStatus");
        root.put("collectedAt", s.collectedAt().toString());
        root.put("collectedOn", s.collectedOn());
        root.put("healthy", s.healthy());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeStatus n : s.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("role", n.role().name().toLowerCase());
            o.put("ready", switch (n.ready()) {
                case READY -> "True";
                case NOT_READY -> "False";
                case UNKNOWN -> "Unknown";
            });
            optional(o, "readyChanged", n.readyChanged().map(Object::toString));
            optional(o, "lastHeartbeat", n.lastHeartbeat().map(Object::toString));
            o.put("kubeletVersion", n.kubeletVersion());
            strings(o.putArray("taints"), n.taints());
            o.put("created", n.created().toString());
            o.put("ageSeconds", Math.max(0, n.age(s.collectedAt()).getSeconds()));
            optional(o, "address", n.address());
            resources(o.putObject("allocatable"), n.allocatable());
            resources(o.putObject("requested"), n.requested());
            o.put("workloadPods", n.workloadPods());
        }
        ObjectNode etcd = root.putObject("etcd");
        optional(etcd, "error", s.etcd().error());
        etcd.put("voters", s.etcd().voters().size());
        etcd.put("healthyVoters", s.etcd().healthyVoters());
        etcd.put("learners", s.etcd().learners().size());
        etcd.put("quorum", s.etcd().quorum());
        etcd.put("hasQuorum", s.etcd().hasQuorum());
        etcd.put("failuresTolerable", s.etcd().failuresTolerable());
        optional(etcd, "leader", s.etcd().leader().map(EtcdMemberStatus::label));
        ArrayNode members = etcd.putArray("members");
        for (EtcdMemberStatus m : s.etcd().members()) {
            ObjectNode o = members.addObject();
            o.put("id", m.id());
            o.put("name", m.name());
            strings(o.putArray("peerURLs"), m.peerUrls());
            strings(o.putArray("clientURLs"), m.clientUrls());
            o.put("learner", m.learner());
            o.put("healthy", m.healthy());
            o.put("leader", m.leader());
            o.put("dbSizeBytes", m.dbSizeBytes());
            o.put("version", m.version());
            optional(o, "error", m.error());
        }
        ObjectNode lb = root.putObject("balancer");
        lb.put("mode", s.balancer().mode());
        lb.put("endpoint", s.balancer().endpoint());
        ArrayNode backends = lb.putArray("backends");
        for (BalancerStatus.BackendStatus b : s.balancer().backends()) {
            backends.addObject().put("name", b.name()).put("address", b.address()).put("healthy", b.healthy())
                    .put("detail", b.detail());
        }
        ArrayNode certs = root.putArray("certificates");
        for (CertificateStatus c : s.certificates()) {
            ObjectNode o = certs.addObject();
            o.put("name", c.name());
            o.put("authority", c.authority());
            optional(o, "expires", c.expires().map(Object::toString));
            c.remaining(s.collectedAt()).ifPresent(d -> o.put("remainingSeconds", d.getSeconds()));
            o.put("missing", c.missing());
        }
        ArrayNode scripts = root.putArray("joinScripts");
        for (JoinScriptStatus j : s.joinScripts()) {
            ObjectNode o = scripts.addObject();
            o.put("role", j.role());
            o.put("path", j.path());
            o.put("present", j.present());
            optional(o, "expires", j.expires().map(Object::toString));
            o.put("expired", j.expiredAt(s.collectedAt()));
        }
        ArrayNode advice = root.putArray("advice");
        for (Advice a : s.advice()) {
            advice.addObject().put("kind", a.kind().name()).put("subject", a.subject()).put("advice", a.advice())
                    .put("reason", a.reason());
        }
        return root;
    }

    private static void optional(ObjectNode o, String field, Optional<String> value) {
        if (value.isPresent()) {
            o.put(field, value.get());
        } else {
            o.putNull(field);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static void resources(ObjectNode o, Resources r) {
        o.put("cpuMillis", r.cpuMillis());
        o.put("memoryBytes", r.memoryBytes());
    }
}
