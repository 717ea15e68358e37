package io.kubestead.agent.plan.phases;

import io.kubestead.agent.lb.BootstrapBalancer;
import io.kubestead.agent.lb.LbPaths;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.lb.NodeBalancer;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The internal balancer only: kubelet runs the local HAProxy as a static pod. After kubeadm the bootstrap instance
 * stops first (the two cannot share the port); on a node that already runs kubelet (set-endpoint) the manifest is
 * simply written. After a hand-over the phase waits until the static pod accepts connections: the next phases
 * reach the API through it, and on a slow host kubelet takes well over the few seconds a container start needs
 * (the node lab's first master: kubectl of the CNI phase refused on 127.0.0.1:6444).
 */
final class LbStaticPodPhase implements Phase {
    private final LbSettings settings;
    private final List<Master> masters;
    private final Optional<String> localMaster;
    private final boolean handover;
    private final Duration patience;

    LbStaticPodPhase(LbSettings settings, List<Master> masters, Optional<String> localMaster, boolean handover) {
        this(settings, masters, localMaster, handover, Duration.ofMinutes(3));
    }

    LbStaticPodPhase(LbSettings settings, List<Master> masters, Optional<String> localMaster, boolean handover,
                     Duration patience) {
        if (!settings.runsHaproxy()) {
            throw new IllegalArgumentException("only the internal balancer runs as a static pod");
        }
        this.settings = settings;
        this.masters = List.copyOf(masters);
        this.localMaster = localMaster;
        this.handover = handover;
        this.patience = patience;
    }

    @Override
    public String id() {
        return "lb/static-pod";
    }

    @Override
    public String title() {
        return handover ? "Hand the bootstrap HAProxy over to its static pod" : "Run the local HAProxy as a static pod";
    }

    @Override
    public void run(PhaseContext ctx) {
        new BootstrapBalancer(ctx.host(), LbPaths.standard(), settings.haproxyImage()).stop();
        var change = new NodeBalancer(settings, LbPaths.standard()).apply(ctx.host(), masters, localMaster);
        change.written().forEach(p -> ctx.progress().info("wrote " + p));
        if (handover && !ctx.dryRun()) {
            awaitBalancer(ctx);
            // The kubelet kubeadm just started met the gap between the two balancers; most of what failed it retries,
            // but not registering its CSINode, which leaves the node NotReady for good (the node lab's worker:
            // "failed to initialize CSINode ... 127.0.0.1:6444: connection refused"). A restart starts it afresh;
            // the pods keep running.
            ctx.host().run("systemctl", "restart", "kubelet").check();
            ctx.progress().info("restarted kubelet, now that its balancer answers");
        }
    }

    private void awaitBalancer(PhaseContext ctx) {
        String port = Integer.toString(settings.internalPort());
        Instant start = Instant.now();
        Instant deadline = start.plus(patience);
        while (true) {
            ExecResult r = ctx.host().run("timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\"$0\"", port);
            if (r.ok()) {
                ctx.progress().info("the static pod answers on 127.0.0.1:" + port + " after "
                        + Duration.between(start, Instant.now()).toSeconds() + " s");
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new HostException("the local HAProxy static pod does not answer on 127.0.0.1:" + port + " after "
                        + patience.toSeconds() + " s: see 'crictl ps -a --name haproxy' and 'journalctl -u kubelet'");
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("interrupted while waiting for the local HAProxy static pod", e);
            }
        }
    }
}
