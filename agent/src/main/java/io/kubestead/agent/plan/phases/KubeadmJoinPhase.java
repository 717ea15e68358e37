package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.function.Function;

/**
 * {@code kubeadm join} with the generated configuration. Masters go through a {@link JoinGate}, which serialises
 * control-plane joins across the cluster; workers join directly.
 */
final class KubeadmJoinPhase implements Phase {
    private final Function<Host, Kubeadm> kubeadm;
    private final JoinGate gate;

    /** Wraps the join of a master: take the cluster-wide lock, check etcd, join, wait for promotion, release. */
    @FunctionalInterface
    interface JoinGate {
        void around(PhaseContext ctx, Runnable join);

        JoinGate NONE = (ctx, join) -> join.run();
    }

    KubeadmJoinPhase(Function<Host, Kubeadm> kubeadm, JoinGate gate) {
        this.kubeadm = kubeadm;
        this.gate = gate;
    }

    @Override
    public String id() {
        return "kubeadm/join";
    }

    @Override
    public String title() {
        return "Join the cluster with kubeadm join";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().exists("/etc/kubernetes/kubelet.conf");
    }

    @Override
    public void run(PhaseContext ctx) {
        if (ctx.host().exists("/etc/kubernetes/kubelet.conf")) {
            ctx.progress().info("this host already joined (kubelet.conf exists)");
            return;
        }
        gate.around(ctx, () -> {
            try {
                kubeadm.apply(ctx.host()).join(KubeadmConfigRenderer.JOIN_CONFIG_PATH);
            } catch (HostException e) {
                throw new HostException(ExpiredJoinCredentials.explain(e.getMessage()), e);
            }
        });
    }
}
