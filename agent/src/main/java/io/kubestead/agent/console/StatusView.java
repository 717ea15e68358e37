package io.kubestead.agent.console;

import io.kubestead.agent.status.AdviceRules;
import io.kubestead.agent.status.ClusterStatus;
import io.kubestead.agent.status.Durations;
import io.kubestead.agent.status.EtcdMemberStatus;
import io.kubestead.agent.status.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Cluster page's view of a {@link ClusterStatus}: the same look {@code kubestead status} takes, put in words. */
public final class StatusView {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("MMM dd, yyyy HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private StatusView() {
    }

    static ClusterView of(ClusterStatus s) {
        Instant now = s.collectedAt();
        List<ClusterView.Node> nodes = s.nodes().stream().map(n -> new ClusterView.Node(n.name(),
                n.master() ? "master" : "worker", readiness(n.ready()), n.kubeletVersion(),
                Durations.human(n.age(now)), n.address().orElse(""))).toList();
        List<ClusterView.EtcdMember> etcd = s.etcd().members().stream().map(StatusView::member).toList();
        var b = s.balancer();
        ClusterView.Balancer balancer = new ClusterView.Balancer(b.mode(), b.endpoint(), b.backends().stream()
                .map(x -> new ClusterView.Backend(x.name(), x.address(), x.healthy(), x.detail())).toList());
        List<ClusterView.Certificate> certs = s.certificates().stream().map(c -> {
            Duration left = c.remaining(now).orElse(null);
            String remaining = left == null ? "missing" : left.isNegative() ? "expired" : Durations.human(left);
            return new ClusterView.Certificate(c.name(), c.expires().map(WHEN::format).orElse(""), remaining,
                    c.authorityCertificate() ? "(authority)" : c.authority(),
                    left == null || left.compareTo(AdviceRules.CERT_WARNING) < 0);
        }).toList();
        List<String> advice = s.advice().stream().map(a -> a.subject() + ": " + a.advice() + " (" + a.reason() + ")").toList();
        List<String> problems = new ArrayList<>();
        s.etcd().error().ifPresent(e -> problems.add("etcd could not be asked: " + e));
        return new ClusterView(WHEN.format(now), s.collectedOn(), nodes, etcd, balancer, certs, advice, problems);
    }

    private static ClusterView.EtcdMember member(EtcdMemberStatus m) {
        String state = m.healthy() ? "healthy" : m.error().orElse("unhealthy");
        return new ClusterView.EtcdMember(m.label(), m.id(), m.learner(), m.leader(), state);
    }

    private static String readiness(NodeStatus.Readiness r) {
        return switch (r) {
            case READY -> "Ready";
            case NOT_READY -> "NotReady";
            case UNKNOWN -> "Unknown";
        };
    }
}
