package io.kubestead.agent.join;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The etcd side of a control-plane join: before it, every member healthy and no learner pending; after it, our
 * member (named after the node, as kubeadm names it) a started, healthy voter.
 */
final class EtcdJoinReadiness {
    private final EtcdClient etcd;
    private final JoinGateSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> progress;

    EtcdJoinReadiness(EtcdClient etcd, JoinGateSettings settings, Clock clock, Sleeper sleeper, Consumer<String> progress) {
        this.etcd = etcd;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    /** Waits for pending learners and for all members to be healthy; fails naming the members that are not. */
    List<EtcdMember> awaitReadyForJoin() throws InterruptedException {
        Instant start = clock.instant();
        Set<String> said = new HashSet<>();
        while (true) {
            Instant now = clock.instant();
            String problem = null;
            List<EtcdMember> members = null;
            try {
                members = etcd.members();
            } catch (EtcdException e) {
                problem = "etcd cannot list its members: " + e.getMessage();
            }
            if (members != null) {
                List<EtcdMember> learners = members.stream().filter(EtcdMember::learner).toList();
                if (!learners.isEmpty()) {
                    String names = labels(learners);
                    if (now.isAfter(start.plus(settings.learnerTimeout()))) {
                        throw new JoinGateException("etcd learner " + names + " has not been promoted after "
                                + human(settings.learnerTimeout()) + ": an earlier control-plane join did not finish; "
                                + "finish or reset that host (or remove the member with 'etcdctl member remove "
                                + learners.get(0).idHex() + "'), then retry");
                    }
                    say(said, "waiting for etcd learner " + names + " to be promoted");
                    sleeper.sleep(settings.poll());
                    continue;
                }
                List<EtcdMember> sick = members.stream().filter(m -> !etcd.healthy(m)).toList();
                if (sick.isEmpty()) {
                    int n = members.size();
                    progress.accept("etcd: " + n + " voting member" + (n == 1 ? "" : "s") + ", all healthy (quorum "
                            + quorum(n) + "); after this join " + (n + 1) + " (quorum " + quorum(n + 1) + ")");
                    return members;
                }
                problem = "etcd is not healthy: " + labels(sick) + (sick.size() == 1 ? " is" : " are")
                        + " unhealthy (" + (n(members) - sick.size()) + " of " + n(members) + " members healthy)";
            }
            if (now.isAfter(start.plus(settings.healthTimeout()))) {
                throw new JoinGateException(problem + "; refusing to add a control plane until etcd is healthy again");
            }
            say(said, problem + "; waiting");
            sleeper.sleep(settings.poll());
        }
    }

    /** Waits until the member named {@code nodeName} is a started, healthy voter. */
    EtcdMember awaitPromoted(String nodeName) throws InterruptedException {
        Instant deadline = clock.instant().plus(settings.promotionTimeout());
        Set<String> said = new HashSet<>();
        while (true) {
            String state;
            try {
                List<EtcdMember> members = etcd.members();
                Optional<EtcdMember> mine = members.stream().filter(m -> m.name().equals(nodeName)).findFirst();
                if (mine.isEmpty()) {
                    state = "etcd has no started member named " + nodeName;
                } else if (mine.get().learner()) {
                    state = "etcd member " + mine.get().label() + " is still a learner (not caught up with the leader)";
                } else if (!etcd.healthy(mine.get())) {
                    state = "etcd member " + mine.get().label() + " is not healthy";
                } else {
                    long voters = members.stream().filter(m -> !m.learner()).count();
                    progress.accept("etcd member " + nodeName + " is a healthy voting member (" + voters
                            + " voting members, quorum " + quorum((int) voters) + ")");
                    return mine.get();
                }
            } catch (EtcdException e) {
                state = "etcd cannot list its members: " + e.getMessage();
            }
            if (clock.instant().isAfter(deadline)) {
                throw new JoinGateException(state + " " + human(settings.promotionTimeout())
                        + " after the join; see the etcd static pod logs on this host (crictl logs) and the etcd "
                        + "member list before joining another control plane");
            }
            say(said, state + "; waiting");
            sleeper.sleep(settings.poll());
        }
    }

    static int quorum(int members) {
        return members / 2 + 1;
    }

    private void say(Set<String> said, String message) {
        if (said.add(message)) {
            progress.accept(message);
        }
    }

    private static int n(List<EtcdMember> members) {
        return members.size();
    }

    private static String labels(List<EtcdMember> members) {
        return members.stream().map(EtcdMember::label).collect(Collectors.joining(", "));
    }

    static String human(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toSeconds() >= 60 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    /**
     * After a failed join: the join held the lock and started with no learner pending, so any learner now is the one
     * it added. Left behind, it would block every later join; removed, the next join starts clean.
     */
    void removeLeftoverLearners() {
        try {
            for (var m : etcd.members()) {
                if (m.learner()) {
                    etcd.remove(m.id());
                    progress.accept("removed etcd learner " + m.label() + " that the failed join left behind");
                }
            }
        } catch (RuntimeException e) {
            progress.accept("could not check for a learner the failed join left behind: " + e.getMessage());
        }
    }
}
