package io.kubestead.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code kubestead status}: the {@link ClusterStatus} on one screen, tables first, advice last. */
public final class StatusText {
    private StatusText() {
    }

    public static String render(ClusterStatus s) {
        Instant now = s.collectedAt();
        StringBuilder b = new StringBuilder();
        b.append("NODES\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ROLE", "READY", "VERSION", "AGE", "TAINTS"});
        for (NodeStatus n : s.nodes()) {
            rows.add(new String[] {n.name(), n.role().name().toLowerCase(), ready(n, now), n.kubeletVersion(),
                Durations.human(n.age(now)), n.taints().isEmpty() ? "<none>" : String.join(",", n.taints())});
        }
        table(b, rows);

        EtcdStatus e = s.etcd();
        b.append("\nETCD");
        if (!e.reachable()) {
            b.append(": cannot be asked: ").append(e.error().orElse("")).append('\n');
        } else {
            b.append(": ").append(e.healthyVoters()).append(" of ").append(e.voters().size())
                    .append(" voters healthy, quorum ").append(e.quorum()).append(", ")
                    .append(e.hasQuorum() ? "tolerates " + e.failuresTolerable() + " more failure"
                            + (e.failuresTolerable() == 1 ? "" : "s") : "NO QUORUM")
                    .append(", leader ").append(e.leader().map(EtcdMemberStatus::label).orElse("none"))
                    .append(", learners ").append(e.learners().size()).append('\n');
            rows = new ArrayList<>();
            rows.add(new String[] {"MEMBER", "ID", "HEALTH", "ROLE", "DB SIZE", "PEER URL"});
            for (EtcdMemberStatus m : e.members()) {
                rows.add(new String[] {m.label(), m.id(), m.healthy() ? "healthy" : "UNHEALTHY",
                    m.learner() ? "learner" : m.leader() ? "leader" : "voter", m.healthy() ? size(m.dbSizeBytes()) : "-",
                    String.join(",", m.peerUrls())});
            }
            table(b, rows);
        }

        BalancerStatus lb = s.balancer();
        b.append("\nBALANCER: ").append(lb.mode()).append(lb.endpoint().isEmpty() ? "" : " at " + lb.endpoint())
                .append(" (health seen from ").append(s.collectedOn()).append(")\n");
        rows = new ArrayList<>();
        rows.add(new String[] {"BACKEND", "ADDRESS", "READYZ"});
        for (BalancerStatus.BackendStatus bs : lb.backends()) {
            rows.add(new String[] {bs.name(), bs.address(), bs.healthy() ? "ok" : "DOWN: " + bs.detail()});
        }
        table(b, rows);

        b.append("\nCERTIFICATES (").append(s.collectedOn()).append(")\n");
        rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "EXPIRES", "RESIDUAL"});
        for (CertificateStatus c : s.certificates()) {
            rows.add(new String[] {c.name() + (c.authorityCertificate() ? " (CA)" : ""),
                c.expires().map(Object::toString).orElse("MISSING"), c.remaining(now).map(StatusText::residual).orElse("-")});
        }
        table(b, rows);

        b.append("\nJOIN SCRIPTS\n");
        for (JoinScriptStatus j : s.joinScripts()) {
            b.append("  ").append(j.role()).append(": ").append(j.path()).append(j.present() ? "" : " (missing)")
                    .append(j.expires().map(x -> j.expiredAt(now) ? ", expired " + x
                            + " (kubestead join-script " + j.role() + " makes a new one)" : ", valid until " + x).orElse(""))
                    .append('\n');
        }

        b.append('\n');
        if (s.advice().isEmpty()) {
            b.append("ADVICE: none, the cluster is healthy\n");
        } else {
            b.append("ADVICE (").append(s.advice().size()).append(")\n");
            for (Advice a : s.advice()) {
                b.append("- ").append(a.subject()).append(": ").append(a.advice()).append('\n')
                        .append("  why: ").append(a.reason()).append('\n');
            }
        }
        return b.toString();
    }

    private static String ready(NodeStatus n, Instant now) {
        return switch (n.ready()) {
            case READY -> "Ready";
            case NOT_READY -> "NotReady";
            case UNKNOWN -> "Unknown" + n.lastHeartbeat().map(h -> " (last heard " + Durations.human(
                    Duration.between(h, now)) + " ago)").orElse("");
        };
    }

    private static String residual(Duration d) {
        return d.isNegative() ? "expired" : Durations.human(d);
    }

    private static String size(long bytes) {
        return bytes < 1 << 20 ? (bytes >> 10) + " KiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static void table(StringBuilder b, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
