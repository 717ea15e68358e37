package io.kubestead.agent.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.join.KubeApi;
import io.kubestead.agent.join.QuorumGuard;
import io.kubestead.agent.join.Sleeper;
import io.kubestead.agent.status.NodeReader;
import io.kubestead.agent.status.PurgeRecord;
import io.kubestead.agent.status.NodeStatus;
import io.kubestead.agent.status.Resources;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Removes a lost node from the cluster: for a master its etcd member first (while its Node still names it), then the
 * Node object. Every node's balancer follows the control-plane Nodes (lb-sync), so deleting the Node is what takes a
 * master's address out of every HAProxy backend list and every keepalived peer list; the pod garbage collector
 * then deletes the pods bound to it, so pods with volumes can start elsewhere.
 *
 * <p>Guards, checked first: the node must not answer (Ready True, its kubelet's Lease renewed within
 * {@link #HEARTBEAT_GRACE}, its kubelet, API server or etcd peer port accepting connections, its etcd member
 * healthy), and removing its etcd member must leave a quorum, and must be committable at all.
 */
public final class NodePurge {
    /** The node controller's grace period: a kubelet renews its Lease every 10 s. */
    public static final Duration HEARTBEAT_GRACE = Duration.ofSeconds(40);
    public static final int KUBELET_PORT = 10250;
    public static final int API_PORT = 6443;
    public static final int ETCD_PEER_PORT = 2380;
    static final Duration MEMBER_REMOVAL_RETRY = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubeApi api;
    private final EtcdClient etcd;
    private final PortProbe ports;
    private final Clock clock;
    private final Sleeper sleeper;

    public NodePurge(KubeApi api, EtcdClient etcd, PortProbe ports, Clock clock, Sleeper sleeper) {
        this.api = api;
        this.etcd = etcd;
        this.ports = ports;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Looks, changes nothing. */
    public PurgeCheck check(String name) {
        Optional<NodeStatus> node = api.get("/api/v1/nodes/" + name)
                .map(n -> NodeReader.node(n, Resources.NONE, 0));
        Optional<String> address = node.flatMap(NodeStatus::address);
        List<EtcdMember> members;
        Optional<String> etcdProblem = Optional.empty();
        try {
            members = etcd.members();
        } catch (EtcdException e) {
            // a worker has no member to look for; a master's cannot be judged, so it is refused
            members = List.of();
            etcdProblem = Optional.of("etcd cannot be asked whether removing " + name + "'s member keeps its quorum ("
                    + e.getMessage() + ")");
        }
        List<EtcdMember> all = members;
        Optional<EtcdMember> member = members.stream().filter(m -> m.name().equals(name)).findFirst()
                .or(() -> address.flatMap(a -> all.stream().filter(m -> m.peerUrls().stream()
                        .anyMatch(u -> hostOf(u).equals(a))).findFirst()));
        List<String> life = new ArrayList<>();
        Instant now = clock.instant();
        node.ifPresent(n -> {
            if (n.isReady()) {
                life.add("its Ready condition is True (the node controller still hears from its kubelet)");
            }
        });
        nodeLeaseRenewal(name).filter(t -> Duration.between(t, now).compareTo(HEARTBEAT_GRACE) < 0)
                .ifPresent(t -> life.add("its kubelet renewed its Lease " + Duration.between(t, now).toSeconds() + " s ago"));
        boolean master = node.map(NodeStatus::master).orElse(false) || member.isPresent();
        address.ifPresent(a -> {
            for (int port : master ? List.of(KUBELET_PORT, API_PORT, ETCD_PEER_PORT) : List.of(KUBELET_PORT)) {
                if (ports.accepts(a, port)) {
                    life.add(what(port) + " port " + a + ":" + port + " accepts connections");
                }
            }
        });
        Set<Long> healthy = new HashSet<>();
        for (EtcdMember m : members) {
            if (etcd.healthy(m)) {
                healthy.add(m.id());
            }
        }
        member.filter(m -> healthy.contains(m.id()))
                .ifPresent(m -> life.add("its etcd member " + m.label() + " answers its health check"));
        Optional<String> unjudged = master ? etcdProblem : Optional.empty();
        Optional<String> quorum = member.flatMap(m -> quorumProblem(all, healthy, m)).or(() -> unjudged);
        return new PurgeCheck(name, node, member, life, quorum);
    }

    /**
     * Why removing {@code target} is unsafe: etcd commits a member removal only with a quorum of the current voters,
     * and afterwards the others must still hold one ({@link QuorumGuard}).
     */
    static Optional<String> quorumProblem(List<EtcdMember> members, Set<Long> healthy, EtcdMember target) {
        if (target.learner()) {
            return Optional.empty();
        }
        List<EtcdMember> voters = members.stream().filter(m -> !m.learner()).toList();
        long healthyOthers = voters.stream().filter(m -> m.id() != target.id() && healthy.contains(m.id())).count();
        int needNow = voters.size() / 2 + 1;
        if (voters.size() > 1 && healthyOthers < needNow && !healthy.contains(target.id())) {
            return Optional.of("etcd has " + healthyOthers + " healthy of " + voters.size() + " voting members, below"
                    + " its quorum of " + needNow + ": it cannot commit the removal of " + target.label()
                    + ", and the API cannot write; bring a member back, or restore etcd from a snapshot");
        }
        QuorumGuard.Decision d = QuorumGuard.decide(members, healthy, target.id());
        return d.allowed() ? Optional.empty() : Optional.of(d.reason());
    }

    /**
     * Purges after {@link #check}: refused with the check's reasons unless {@code force}, in which case they are
     * only passed to {@code warn}. Records the purge, removes the etcd member, deletes the Node, posts an Event.
     *
     * @param by who purges, for the record and the Event ("kubestead node purge on m1")
     * @param say one line per step, for the console and the run log
     */
    public PurgeRecord.Entry purge(PurgeCheck check, boolean force, String by, Consumer<String> say, Consumer<String> warn) {
        if (!check.exists()) {
            throw new PurgeRefusedException("no node and no etcd member named " + check.name() + ": nothing to purge");
        }
        if (!check.safe()) {
            if (!force) {
                throw new PurgeRefusedException("refusing to purge " + check.name() + ": " + String.join("; ",
                        check.refusals()) + " (--force purges anyway)");
            }
            check.refusals().forEach(r -> warn.accept("WARNING: --force: purging " + check.name() + " although " + r));
        }
        Instant now = clock.instant();
        String address = check.node().flatMap(NodeStatus::address).orElse("");
        PurgeRecord.Entry entry = new PurgeRecord.Entry(check.name(), now, by, address,
                check.member().map(EtcdMember::idHex).orElse(""));
        // recorded first: a master that comes back while the purge runs is told what happened to it
        PurgeRecord.add(api, entry);
        say.accept("recorded the purge in " + PurgeRecord.NAMESPACE + "/" + PurgeRecord.NAME);
        if (check.member().isPresent()) {
            removeMember(check.member().get());
            say.accept("removed etcd member " + check.member().get().label());
        }
        if (api.delete("/api/v1/nodes/" + check.name())) {
            say.accept("deleted Node " + check.name());
        }
        if (check.master() && !address.isEmpty()) {
            say.accept("every node's lb-sync now drops " + address + " from its balancer backends and keepalived peers"
                    + " (they follow the control-plane Nodes, within 30 s)");
        }
        event(check, entry, force && !check.safe());
        say.accept("posted Event 'NodePurged' for " + check.name() + " in namespace default");
        return entry;
    }

    /** etcd refuses membership changes for 5 s after a peer (re)connects ("unhealthy cluster"): retried 30 s. */
    private void removeMember(EtcdMember m) {
        Instant deadline = clock.instant().plus(MEMBER_REMOVAL_RETRY);
        while (true) {
            try {
                etcd.remove(m.id());
                return;
            } catch (EtcdException e) {
                if (e.getMessage().contains("member not found")) {
                    return; // removed by an earlier run that stopped before deleting the Node
                }
                if (!e.getMessage().contains("unhealthy cluster") || clock.instant().isAfter(deadline)) {
                    throw new EtcdException("could not remove etcd member " + m.label() + ": " + e.getMessage(), e);
                }
                try {
                    sleeper.sleep(Duration.ofMillis(500));
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new EtcdException("interrupted removing etcd member " + m.label(), x);
                }
            }
        }
    }

    private void event(PurgeCheck check, PurgeRecord.Entry entry, boolean forced) {
        String stamp = entry.purgedAt().toString();
        ObjectNode e = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
        e.putObject("metadata").put("name", check.name() + ".kubestead-purge-" + Long.toHexString(entry.purgedAt().toEpochMilli()))
                .put("namespace", "default");
        e.putObject("involvedObject").put("kind", "Node").put("name", check.name()).put("apiVersion", "v1");
        e.put("reason", "NodePurged").put("type", "Warning")
                .put("message", entry.sentence() + (forced ? " (forced: " + String.join("; ", check.refusals()) + ")" : ""))
                .put("firstTimestamp", stamp).put("lastTimestamp", stamp).put("count", 1);
        e.putObject("source").put("component", "kubestead");
        api.create("/api/v1/namespaces/default/events", e);
    }

    private Optional<Instant> nodeLeaseRenewal(String name) {
        return api.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + name)
                .map(l -> l.path("spec").path("renewTime"))
                .filter(JsonNode::isTextual)
                .flatMap(t -> {
                    try {
                        return Optional.of(Instant.parse(t.asText()));
                    } catch (java.time.format.DateTimeParseException x) {
                        return Optional.empty();
                    }
                });
    }

    private static String what(int port) {
        return switch (port) {
            case KUBELET_PORT -> "its kubelet";
            case API_PORT -> "its API server";
            default -> "its etcd peer";
        };
    }

    private static String hostOf(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "" : h.replaceAll("^\\[|\\]$", "");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
