package io.kubestead.agent.plan.phases;

import io.kubestead.agent.join.ControlPlaneAccess;
import io.kubestead.agent.join.ControlPlaneJoinGate;
import io.kubestead.agent.join.ControlPlaneTarget;
import io.kubestead.agent.join.JoinGateException;
import io.kubestead.agent.join.KubeApiException;
import io.kubestead.agent.join.LeaseLock;
import io.kubestead.agent.join.Sleeper;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.JoinSpec;
import java.util.function.Consumer;

/**
 * A master's kubeadm join through the cluster-wide {@link ControlPlaneJoinGate}: connect with the join words
 * (pinned CA, bootstrap token, etcd CA from kubeadm-certs), take the lock, check etcd, join, wait for this node's
 * etcd member to be promoted, release. A dry-run connects nowhere and says what it would do.
 */
final class GatedControlPlaneJoin implements KubeadmJoinPhase.JoinGate {
    private final JoinSpec spec;
    private final ControlPlaneGateSetup setup;

    GatedControlPlaneJoin(JoinSpec spec, ControlPlaneGateSetup setup) {
        this.spec = spec;
        this.setup = setup;
    }

    @Override
    public void around(PhaseContext ctx, Runnable join) {
        ControlPlaneTarget target = ControlPlaneTarget.of(spec);
        Consumer<String> progress = ctx.progress()::info;
        if (ctx.dryRun()) {
            progress.accept("would fetch kube-public/cluster-info from " + target.api() + " and trust its CA only if it"
                    + " is signed for the join token and matches " + target.caHash());
            progress.accept("would read the etcd CA from kube-system/kubeadm-certs with the join token and certificate key");
            progress.accept("would take the control-plane join lock (Lease " + LeaseLock.NAMESPACE + "/" + LeaseLock.NAME
                    + ") as " + spec.nodeName());
            progress.accept("would check that etcd at " + target.etcd() + " is healthy with no learner pending");
            join.run();
            progress.accept("would wait until etcd member " + spec.nodeName() + " is a healthy voter, then release the lock");
            return;
        }
        ControlPlaneAccess access = setup.connector().connect(target, progress);
        ControlPlaneJoinGate gate = new ControlPlaneJoinGate(access.lock(setup.clock()), access.etcd(), setup.settings(),
                setup.clock(), Sleeper.system(), progress);
        try {
            gate.join(spec.nodeName(), join::run);
        } catch (JoinGateException e) {
            if (e.getCause() instanceof KubeApiException k && k.status() == 403) {
                // a cluster installed before the join lock existed has no RBAC for it yet
                throw new JoinGateException(e.getMessage() + "; the cluster does not let joining masters hold the join"
                        + " lock yet: rerun 'kubestead install' with its original words on the first master (its phase"
                        + " post/join-lock-rbac grants it), then join again", e);
            }
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        progress.accept("released the control-plane join lock");
    }
}
