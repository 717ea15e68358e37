package io.kubestead.agent.reset;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.EtcdMemberRemoval;
import io.kubestead.agent.join.QuorumGuard;
import io.kubestead.agent.join.Sleeper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A master leaving etcd: asks the local etcd (with kubeadm's client certificate) for the members, checks every
 * member's health through its own client URLs, and decides with {@link QuorumGuard} whether this node's member may
 * go; removal then goes through the other members, since this one stops serving once removed.
 */
public final class EtcdLeave {
    /** What a check found. Only UNSAFE and UNREACHABLE stop a reset (unless forced). */
    public enum Outcome { SAFE, NOT_A_MEMBER, LAST_MEMBER, UNSAFE, UNREACHABLE }

    public record Verdict(Outcome outcome, String message, List<EtcdMember> members) {
        public boolean blocks() {
            return outcome == Outcome.UNSAFE || outcome == Outcome.UNREACHABLE;
        }
    }

    private final Host host;
    private final EtcdAccess access;
    private final Duration timeout;

    public EtcdLeave(Host host, EtcdAccess access, Duration timeout) {
        this.host = host;
        this.access = access;
        this.timeout = timeout;
    }

    public Verdict check(String nodeName) {
        List<EtcdMember> members;
        EtcdClient local;
        try {
            local = new EtcdClient(List.of(access.endpoint()), tls(), timeout);
            members = local.members();
        } catch (RuntimeException e) { // etcd down, certificates missing or unreadable
            return new Verdict(Outcome.UNREACHABLE, "cannot reach this master's etcd at " + access.endpoint() + " ("
                    + e.getMessage() + "), so whether the others keep their quorum is unknown", List.of());
        }
        Optional<EtcdMember> self = members.stream().filter(m -> m.name().equals(nodeName)).findFirst();
        if (self.isEmpty()) {
            return new Verdict(Outcome.NOT_A_MEMBER, "etcd has no member named " + nodeName + "; nothing to remove",
                    members);
        }
        List<EtcdMember> voters = members.stream().filter(m -> !m.learner()).toList();
        if (!self.get().learner() && voters.size() == 1) {
            return new Verdict(Outcome.LAST_MEMBER, nodeName + " is the cluster's last master: its etcd member "
                    + self.get().label() + " is the whole cluster and goes away with it (reset its workers too); there is no quorum to keep",
                    members);
        }
        Set<Long> healthy = members.stream().filter(local::healthy).map(EtcdMember::id).collect(Collectors.toSet());
        long healthyVoters = voters.stream().filter(m -> healthy.contains(m.id())).count();
        QuorumGuard.Decision d = QuorumGuard.decide(members, healthy, self.get().id());
        String now = "etcd has " + healthyVoters + " of " + voters.size() + " voting members healthy; ";
        return new Verdict(d.allowed() ? Outcome.SAFE : Outcome.UNSAFE, now + d.reason(), members);
    }

    /**
     * Removes this node's member (re-checking quorum against live health), retrying etcd's refusal of membership
     * changes in the seconds after a peer reconnects. Empty when there was no such member.
     */
    public Optional<EtcdMember> remove(String nodeName, Duration retry, Clock clock, Sleeper sleeper,
                                       Consumer<String> progress) throws InterruptedException {
        SSLContext tls = tls();
        List<EtcdMember> members = new EtcdClient(List.of(access.endpoint()), tls, timeout).members();
        EtcdClient others = new EtcdClient(endpoints(members, nodeName), tls, timeout);
        return new EtcdMemberRemoval(others, retry, clock, sleeper, progress).remove(nodeName);
    }

    /** The other members' client URLs first, then this master's own. */
    private List<URI> endpoints(List<EtcdMember> members, String nodeName) {
        Set<URI> out = new LinkedHashSet<>();
        members.stream().filter(m -> !m.name().equals(nodeName)).flatMap(m -> m.clientUrls().stream())
                .map(URI::create).forEach(out::add);
        out.add(access.endpoint());
        return new ArrayList<>(out);
    }

    private SSLContext tls() {
        return PemTls.mutual(read(access.caFile()), read(access.certFile()), read(access.keyFile()));
    }

    private String read(String path) {
        return host.readString(path).orElseThrow(() -> new IllegalArgumentException("no etcd client file " + path));
    }
}
